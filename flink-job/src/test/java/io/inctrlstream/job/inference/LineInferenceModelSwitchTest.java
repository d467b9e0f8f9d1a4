package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.TestInputs.addShots;
import static io.inctrlstream.job.inference.TestInputs.clearShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static io.inctrlstream.job.inference.TestInputs.setShotsWithCategory;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A job restored from a checkpoint of another model (a new bundle: fp32 to int8 or fp16, a new
 * version) rebuilds each line's bank from the shot images kept in state, before any of the line's
 * frames is scored, instead of scoring them against a bank of the old model (which the engine
 * refuses: every frame FAILED with SHOT_BANK_MISMATCH until the shots were set again). The fake
 * backend's banks do not depend on the model, so the rebuilt bank is answered by hand: the frames
 * must be scored against exactly that bank.
 */
@Timeout(60)
class LineInferenceModelSwitchTest {
    private static final LineStateConfig OTHER_MODEL =
            LineStateConfig.builder("fake-model@2").build();
    private static final byte[] REBUILT = "rebuilt-by-model-2".getBytes(StandardCharsets.UTF_8);

    private static InferenceOperatorConfig config() {
        return InferenceOperatorConfig.builder()
                .maxBatchSize(1)
                .maxBatchWait(Duration.ofMillis(50))
                .build();
    }

    /** A snapshot of model 1 holding line-a's bank of {@code shots}, category "widget". */
    private static OperatorSubtaskState modelOneSnapshot(
            StateBackend stateBackend, LineInput... commands) throws Exception {
        FakeBackend backend = FakeBackend.create().answeringBanks();
        try (OperatorHarness harness =
                OperatorHarness.open(config(), backend, null, stateBackend)) {
            for (LineInput command : commands) {
                harness.process(command);
                harness.drainMailbox();
            }
            return harness.snapshot(1L);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.inctrlstream.job.inference.LineInferenceOperatorRecoveryTest#stateBackends")
    void aBankOfAnotherModelIsRebuiltFromTheLinesShotsBeforeItsFramesAreScored(
            String name, Supplier<StateBackend> stateBackend) throws Exception {
        OperatorSubtaskState snapshot =
                modelOneSnapshot(
                        stateBackend.get(),
                        setShotsWithCategory("line-a", "shots", "widget", "s1", "s2"),
                        setThreshold("line-a", "threshold", 0.25));

        FakeBackend after = FakeBackend.create();
        OperatorSubtaskState rebuiltSnapshot;
        try (OperatorHarness harness =
                OperatorHarness.open(config(), after, snapshot, stateBackend.get(), OTHER_MODEL)) {
            assertThat(after.bankCalls).as("the rebuild starts as the operator opens").hasSize(1);
            FakeBackend.BankCall rebuild = after.bankCall(0);
            assertThat(rebuild.request().lineId()).isEqualTo("line-a");
            assertThat(rebuild.request().baseBank()).as("built from the shots alone").isNull();
            assertThat(rebuild.newShotNames()).containsExactly("s1", "s2");
            assertThat(rebuild.request().category()).isEqualTo("widget");

            harness.process(frame("line-a", "f1"));
            harness.drainMailbox();
            assertThat(after.batches).as("f1 waits for the rebuilt bank").isEmpty();

            rebuild.answer().complete(new BuiltBank(REBUILT, 2));
            harness.drainMailbox();
            assertThat(FakeBackend.bankText(after.batch(0).requests().get(0)))
                    .isEqualTo(text(REBUILT));
            after.batch(0).succeed(0.5f);
            harness.drainMailbox();

            assertThat(harness.outputs())
                    .as("the rebuild has no outcome: no command asked for it")
                    .extracting(TestInputs::describe)
                    .containsExactly("frame:f1");
            FrameScore f1 = harness.score("f1");
            assertThat(f1.status()).isEqualTo(ScoreStatus.SCORED);
            assertThat(f1.threshold()).as("the line's settings are kept").isEqualTo(0.25);
            assertThat(f1.shotsVersion()).isEqualTo(1);
            assertThat(harness.lineStates()).hasSize(1);
            LineState written = AvroCodec.lineStates().decode(harness.lineStates().get(0).value());
            assertThat(written.getModelId()).isEqualTo("fake-model@2");
            assertThat(StandardCharsets.UTF_8.decode(written.getBank().duplicate()).toString())
                    .isEqualTo(text(REBUILT));
            assertThat(written.getRecentCommandIds())
                    .as("the command log is the line's own")
                    .containsExactly("shots", "threshold");
            rebuiltSnapshot = harness.snapshot(2L);
        }

        FakeBackend again = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(
                        config(), again, rebuiltSnapshot, stateBackend.get(), OTHER_MODEL)) {
            assertThat(again.bankCalls).as("the bank is now model 2's").isEmpty();
            harness.process(frame("line-a", "f2"));
            harness.drainMailbox();
            assertThat(FakeBackend.bankText(again.batch(0).requests().get(0)))
                    .isEqualTo(text(REBUILT));
        }
    }

    @Test
    void theSameModelRebuildsNothing() throws Exception {
        OperatorSubtaskState snapshot = modelOneSnapshot(null, setShots("line-a", "shots", "s1"));
        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config(), after, snapshot)) {
            assertThat(after.bankCalls).isEmpty();
        }
    }

    @Test
    void addedShotsAreRebuiltWithTheFirstOnesAndClearedShotsNotAtAll() throws Exception {
        OperatorSubtaskState snapshot =
                modelOneSnapshot(
                        null,
                        setShots("line-a", "a-shots", "s1"),
                        addShots("line-a", "a-more", "s2", "s3"),
                        setShots("line-b", "b-shots", "t1"),
                        clearShots("line-b", "b-clear"));
        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config(), after, snapshot, null, OTHER_MODEL)) {
            assertThat(after.bankCalls).hasSize(1);
            assertThat(after.bankCall(0).request().lineId()).isEqualTo("line-a");
            assertThat(after.bankCall(0).newShotNames()).containsExactly("s1", "s2", "s3");
        }
    }

    @Test
    void aFailedRebuildKeepsTheOldBankAndTheLineRunning() throws Exception {
        OperatorSubtaskState snapshot = modelOneSnapshot(null, setShots("line-a", "shots", "s1"));
        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config(), after, snapshot, null, OTHER_MODEL)) {
            harness.process(frame("line-a", "f1"));
            after.bankCall(0).fail(new NonRetryableInferenceException("image s1 cannot be read"));
            harness.drainMailbox();
            assertThat(FakeBackend.bankText(after.batch(0).requests().get(0)))
                    .as("the old model's bank, which the real backend refuses for each frame")
                    .isEqualTo("s1|null");
            assertThat(harness.lineStates()).as("nothing changed").isEmpty();
            harness.process(setShots("line-a", "new-shots", "n1"));
            after.batch(0).succeed(0.1f);
            harness.drainMailbox();
            after.bankCall(1).succeed();
            harness.drainMailbox();
            assertThat(harness.outputs())
                    .extracting(TestInputs::describe)
                    .containsExactly("frame:f1", "command:new-shots");
        }
    }

    @Test
    void aRebuildInFlightAtASnapshotIsNotKeptAndRunsAgainAfterTheRestore() throws Exception {
        OperatorSubtaskState snapshot = modelOneSnapshot(null, setShots("line-a", "shots", "s1"));
        FakeBackend during = FakeBackend.create();
        OperatorSubtaskState duringRebuild;
        try (OperatorHarness harness =
                OperatorHarness.open(config(), during, snapshot, null, OTHER_MODEL)) {
            harness.process(frame("line-a", "f1"));
            harness.drainMailbox();
            assertThat(during.batches).isEmpty();
            duringRebuild = harness.snapshot(2L);
        }

        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config(), after, duringRebuild, null, OTHER_MODEL)) {
            assertThat(after.bankCall(0).newShotNames()).containsExactly("s1");
            after.bankCall(0).answer().complete(new BuiltBank(REBUILT, 1));
            harness.drainMailbox();
            assertThat(after.batch(0).frameIds()).as("f1 was kept").containsExactly("f1");
            assertThat(FakeBackend.bankText(after.batch(0).requests().get(0)))
                    .isEqualTo(text(REBUILT));
        }
    }
}
