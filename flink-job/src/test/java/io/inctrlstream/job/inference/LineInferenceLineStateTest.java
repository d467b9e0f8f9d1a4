package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.LineInferenceOperatorTest.giveShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setAlertPolicy;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static io.inctrlstream.job.inference.TestInputs.setShotsWithCategory;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.InMemoryLineStateStore;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The line-state topic from the operator's side: every applied command emits the line's whole
 * state, and an operator started without a checkpoint restores its lines from the store before it
 * scores any frame, skipping replayed commands and records of another model.
 */
@Timeout(60)
class LineInferenceLineStateTest {
    private static final AvroCodec<LineState> CODEC = AvroCodec.lineStates();

    private static InferenceOperatorConfig config() {
        return InferenceOperatorConfig.builder()
                .maxBatchSize(1)
                .maxBatchWait(Duration.ofMillis(50))
                .build();
    }

    private static LineInput at(LineInput command, long offset) {
        return LineInput.of(
                command.command().withPosition(new RecordPosition("control", 0, offset)));
    }

    private static LineState decode(OutboundRecord record) throws Exception {
        return CODEC.decode(record.value());
    }

    private static String text(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    }

    @Test
    void everyAppliedCommandWritesTheLinesWholeStateAndNothingElseDoes() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config(), backend)) {
            harness.process(at(setShots("line-a", "shots", "s1", "s2"), 3));
            backend.bankCall(0).succeed();
            harness.drainMailbox();
            harness.process(at(setThreshold("line-a", "threshold", 0.3), 4));
            harness.process(at(setThreshold("line-a", "bad", 7.0), 5));
            harness.process(at(setThreshold("line-a", "threshold", 0.3), 6));

            List<OutboundRecord> records = harness.lineStates();
            assertThat(records).as("rejected and duplicate commands write nothing").hasSize(2);
            assertThat(records)
                    .allSatisfy(
                            record ->
                                    assertThat(record.key())
                                            .isEqualTo(RecordIds.lineKey("line-a")));
            LineState afterShots = decode(records.get(0));
            assertThat(afterShots.getLineId()).isEqualTo("line-a");
            assertThat(afterShots.getModelId()).isEqualTo(OperatorHarness.MODEL_ID);
            assertThat(afterShots.getShotsVersion()).isEqualTo(1);
            assertThat(afterShots.getShotCount()).isEqualTo(2);
            assertThat(text(afterShots.getBank())).isEqualTo("s1,s2|null");
            assertThat(afterShots.getThreshold()).isEqualTo(config().defaultThreshold());
            assertThat(afterShots.getRecentCommandIds()).containsExactly("shots");
            assertThat(afterShots.getLastControl().getOffset()).isEqualTo(3);
            LineState afterThreshold = decode(records.get(1));
            assertThat(text(afterThreshold.getBank()))
                    .as("a threshold change writes the bank too: the newest record is whole")
                    .isEqualTo("s1,s2|null");
            assertThat(afterThreshold.getThreshold()).isEqualTo(0.3);
            assertThat(afterThreshold.getRecentCommandIds()).containsExactly("shots", "threshold");
            assertThat(afterThreshold.getLastControl().getOffset()).isEqualTo(4);
            assertThat(afterThreshold.getUpdatedTime()).isEqualTo(Instant.ofEpochMilli(0));
        }
    }

    @Test
    void anOperatorStartedWithoutCheckpointRestoresItsLinesBeforeScoringAndSkipsReplays()
            throws Exception {
        FakeBackend first = FakeBackend.create();
        List<OutboundRecord> written;
        try (OperatorHarness harness = OperatorHarness.open(config(), first)) {
            harness.process(at(setShots("line-a", "a-shots", "a1"), 0));
            first.bankCall(0).succeed();
            harness.drainMailbox();
            harness.process(at(setThreshold("line-a", "a-threshold", 0.2), 1));
            harness.process(at(setShots("line-b", "b-shots", "b1", "b2"), 2));
            first.bankCall(1).succeed();
            harness.drainMailbox();
            harness.process(
                    at(setAlertPolicy("line-b", "b-policy", new AlertPolicy(2, 3, 500L)), 3));
            written = harness.lineStates();
        }
        assertThat(written).hasSize(4);

        FakeBackend second =
                FakeBackend.create().answeringBatchesWith(requests -> scores(requests));
        try (OperatorHarness harness =
                OperatorHarness.openWithMetrics(
                        config(), second, lineStates(new InMemoryLineStateStore(written)))) {
            harness.process(frame("line-a", "a-frame"));
            harness.process(frame("line-b", "b-frame"));
            // The control topic read again from its beginning: nothing is applied twice.
            harness.process(at(setShots("line-a", "a-shots", "a1"), 0));
            harness.process(at(setThreshold("line-a", "a-threshold", 0.2), 1));
            harness.process(at(setShots("line-b", "b-shots", "b1", "b2"), 2));
            harness.process(frame("line-a", "a-after"));
            harness.drainMailbox();

            assertThat(second.bankCalls).as("no bank rebuilt").isEmpty();
            FrameScore a = harness.score("a-frame");
            assertThat(a.status()).isEqualTo(ScoreStatus.SCORED);
            assertThat(a.shotsVersion()).isEqualTo(1);
            assertThat(a.threshold()).isEqualTo(0.2);
            FrameScore b = harness.score("b-frame");
            assertThat(b.shotsVersion()).isEqualTo(1);
            assertThat(b.alertPolicy()).isEqualTo(new AlertPolicy(2, 3, 500L));
            List<String> banks = new ArrayList<>();
            second.batches.forEach(
                    call -> call.requests().forEach(r -> banks.add(FakeBackend.bankText(r))));
            assertThat(banks).containsExactly("a1|null", "b1,b2|null", "a1|null");
            assertThat(harness.outcomes()).as("replayed commands get no second outcome").isEmpty();
            assertThat(harness.lineStates()).isEmpty();
            assertThat(((Counter) harness.metric("lineStatesRestored")).getCount()).isEqualTo(2);
            assertThat(((Counter) harness.metric("lineStatesSkipped")).getCount()).isZero();
            assertThat(((Counter) harness.metric("commandsSkipped")).getCount()).isEqualTo(3);
        }
    }

    @Test
    void aRecordOfAnotherModelWithItsShotImagesIsRestoredAndItsBankRebuiltBeforeItsFrames()
            throws Exception {
        FakeBackend first = FakeBackend.create();
        List<OutboundRecord> written;
        try (OperatorHarness harness = OperatorHarness.open(config(), first)) {
            harness.process(at(setShotsWithCategory("line-a", "a-shots", "widget", "a1", "a2"), 0));
            first.bankCall(0).succeed();
            harness.drainMailbox();
            harness.process(at(setThreshold("line-a", "a-threshold", 0.2), 1));
            written = harness.lineStates();
        }
        LineState newest = decode(written.get(1));
        assertThat(newest.getShots())
                .extracting(image -> text(image.getData()))
                .containsExactly("a1", "a2");

        FakeBackend second = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.openWithMetrics(
                        config(),
                        second,
                        LineStateConfig.builder("another-model@2")
                                .store(new InMemoryLineStateStore(written))
                                .build())) {
            harness.process(frame("line-a", "f1"));
            harness.process(at(setThreshold("line-a", "a-threshold", 0.2), 1));
            harness.drainMailbox();
            assertThat(second.batches).as("f1 waits for the rebuilt bank").isEmpty();
            assertThat(second.bankCall(0).newShotNames()).containsExactly("a1", "a2");
            assertThat(second.bankCall(0).request().category()).isEqualTo("widget");
            second.bankCall(0).succeed();
            harness.drainMailbox();
            second.batch(0).succeed(0.3f);
            harness.drainMailbox();

            FrameScore f1 = harness.score("f1");
            assertThat(f1.status()).isEqualTo(ScoreStatus.SCORED);
            assertThat(f1.threshold()).isEqualTo(0.2);
            assertThat(harness.outcomes())
                    .as("the replay is skipped, the rebuild silent")
                    .isEmpty();
            assertThat(((Counter) harness.metric("lineStatesRestored")).getCount()).isEqualTo(1);
            assertThat(((Counter) harness.metric("banksRebuilt")).getCount()).isEqualTo(1);
            assertThat(((Counter) harness.metric("commandsSkipped")).getCount()).isEqualTo(1);
            assertThat(harness.lineStates()).hasSize(1);
            LineState rebuilt = decode(harness.lineStates().get(0));
            assertThat(rebuilt.getModelId()).isEqualTo("another-model@2");
            assertThat(rebuilt.getShots()).hasSize(2);
            assertThat(rebuilt.getRecentCommandIds()).containsExactly("a-shots", "a-threshold");
        }
    }

    @Test
    void shotImagesThatWouldNotFitTheRecordAreLeftOutOfItAndTheCommandApplied() throws Exception {
        String shot = "a-rather-long-shot-name-" + "x".repeat(100);
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(
                        config(),
                        backend,
                        null,
                        null,
                        LineStateConfig.builder(OperatorHarness.MODEL_ID)
                                .maxRecordBytes(260)
                                .build())) {
            harness.process(setShots("line-a", "big", shot));
            backend.bankCall(0).succeed();
            harness.drainMailbox();

            assertThat(harness.outcomes().get(0).status()).isEqualTo(CommandStatus.APPLIED);
            LineState record = decode(harness.lineStates().get(0));
            assertThat(record.getShots()).as("the images did not fit").isNull();
            assertThat(text(record.getBank())).isEqualTo(shot + "|null");
        }
    }

    @Test
    void aRecordOfAnotherModelWithoutShotImagesIsNotRestoredAndCounted() throws Exception {
        FakeBackend first = FakeBackend.create();
        List<OutboundRecord> written;
        try (OperatorHarness harness = OperatorHarness.open(config(), first)) {
            giveShots(harness, first, "line-a", "a1");
            written = harness.lineStates();
        }
        LineState other = decode(written.get(0));
        other.setModelId("another-model@2");
        other.setShots(null); // written before shot images were kept

        FakeBackend second = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.openWithMetrics(
                        config(),
                        second,
                        lineStates(
                                InMemoryLineStateStore.of(
                                        RecordIds.lineKey("line-a"), CODEC.encode(other))))) {
            harness.process(frame("line-a", "f1"));

            assertThat(harness.score("f1").status()).isEqualTo(ScoreStatus.NO_REFERENCE);
            assertThat(((Counter) harness.metric("lineStatesRestored")).getCount()).isZero();
            assertThat(((Counter) harness.metric("lineStatesSkipped")).getCount()).isEqualTo(1);
        }
    }

    @Test
    void aCommandWhoseStateWouldNotFitTheLineStateRecordIsRejectedAndChangesNothing()
            throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(
                        config(),
                        backend,
                        null,
                        null,
                        LineStateConfig.builder(OperatorHarness.MODEL_ID)
                                .maxRecordBytes(120)
                                .build())) {
            harness.process(
                    setShots("line-a", "big", "a-rather-long-shot-name-" + "x".repeat(100)));
            backend.bankCall(0).succeed();
            harness.drainMailbox();
            harness.process(frame("line-a", "f1"));

            CommandOutcome outcome = harness.outcomes().get(0);
            assertThat(outcome.status()).isEqualTo(CommandStatus.REJECTED);
            assertThat(outcome.reason())
                    .matches(
                            "the line's state would be \\d+ bytes, more than the line-state record"
                                    + " limit of 120 bytes");
            assertThat(outcome.shotsVersion()).isZero();
            assertThat(harness.score("f1").status()).isEqualTo(ScoreStatus.NO_REFERENCE);
            assertThat(harness.lineStates()).isEmpty();
        }
    }

    private static LineStateConfig lineStates(io.inctrlstream.job.io.LineStateStore store) {
        return LineStateConfig.builder(OperatorHarness.MODEL_ID).store(store).build();
    }

    private static List<FrameScoreResult> scores(List<ScoringRequest> requests) {
        List<FrameScoreResult> results = new ArrayList<>();
        requests.forEach(request -> results.add(FrameScoreResult.scored(FakeBackend.values(0.5f))));
        return results;
    }
}
