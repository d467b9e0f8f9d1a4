package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.LineInferenceOperatorTest.giveShots;
import static io.inctrlstream.job.inference.TestInputs.addShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.internal.ControlEventRecords;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.RecordIds;
import java.time.Duration;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commands apply at most once per line: a command whose id the line applied recently is answered
 * again (APPLIED, "duplicate", same event id) without changing the line, and a command record the
 * line answered before (at or before the control position of its last applied command) is skipped
 * without a second outcome.
 */
@Timeout(60)
class LineInferenceCommandIdempotencyTest {
    private static final String CONTROL = "control";

    private static InferenceOperatorConfig config() {
        return InferenceOperatorConfig.builder()
                .maxBatchSize(1)
                .maxBatchWait(Duration.ofMillis(50))
                .build();
    }

    /** The command, as read from the control record at partition 0, {@code offset}. */
    private static LineInput at(LineInput command, long offset) {
        return LineInput.of(command.command().withPosition(new RecordPosition(CONTROL, 0, offset)));
    }

    private static CommandOutcome lastOutcome(OperatorHarness harness) {
        List<CommandOutcome> outcomes = harness.outcomes();
        return outcomes.get(outcomes.size() - 1);
    }

    @Test
    void aResentAddShotsChangesNothingAndIsAnsweredAppliedAsADuplicateWithTheSameEventId()
            throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(addShots("line-a", "add-1", "s2"));
            backend.bankCall(1).succeed();
            harness.drainMailbox();
            CommandOutcome first = lastOutcome(harness);

            harness.process(addShots("line-a", "add-1", "s2"));
            harness.process(frame("line-a", "f1"));

            assertThat(backend.bankCalls).as("no second bank build").hasSize(2);
            CommandOutcome again = lastOutcome(harness);
            assertThat(again.commandId()).isEqualTo("add-1");
            assertThat(again.status()).isEqualTo(CommandStatus.APPLIED);
            assertThat(again.reason())
                    .isEqualTo(
                            "duplicate of command add-1, already applied to line line-a: nothing"
                                    + " changed");
            assertThat(again.shotsVersion()).isEqualTo(first.shotsVersion()).isEqualTo(2);
            assertThat(again.shotCount()).isEqualTo(first.shotCount()).isEqualTo(2);
            ControlEvent firstEvent = ControlEventRecords.of(first);
            ControlEvent againEvent = ControlEventRecords.of(again);
            assertThat(againEvent.getEventId())
                    .isEqualTo(firstEvent.getEventId())
                    .isEqualTo(RecordIds.controlEventId("add-1"));
            assertThat(againEvent.getOutcome()).isEqualTo(ControlOutcome.APPLIED);
            assertThat(firstEvent.getReason()).isNull();

            backend.batch(0).succeed(0.1f);
            harness.drainMailbox();
            assertThat(FakeBackend.bankText(backend.batch(0).requests().get(0)))
                    .as("the frame after the duplicate sees the bank of one add")
                    .isEqualTo("s1,s2|null");
            assertThat(harness.orderOf("line-a"))
                    .containsExactly(
                            "command:shots-line-a-0", "command:add-1", "command:add-1", "frame:f1");
        }
    }

    @Test
    void aRejectedCommandIsNotRememberedSoItsResendIsJudgedAgain() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config(), backend)) {
            harness.process(setThreshold("line-a", "t-1", 1.5));
            assertThat(lastOutcome(harness).status()).isEqualTo(CommandStatus.REJECTED);

            harness.process(setThreshold("line-a", "t-1", 1.5));

            assertThat(lastOutcome(harness).status()).isEqualTo(CommandStatus.REJECTED);
            assertThat(lastOutcome(harness).reason()).startsWith("threshold must be");
        }
    }

    @Test
    void theLineRemembersItsLast64CommandIdsOnly() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config(), backend)) {
            for (int i = 0; i <= 64; i++) {
                harness.process(setThreshold("line-a", "t-" + i, 0.5));
            }

            harness.process(setThreshold("line-a", "t-1", 0.2));
            assertThat(lastOutcome(harness).reason()).as("t-1 is among the last 64").isNotNull();

            harness.process(setThreshold("line-a", "t-0", 0.3));
            CommandOutcome forgotten = lastOutcome(harness);
            assertThat(forgotten.status()).isEqualTo(CommandStatus.APPLIED);
            assertThat(forgotten.reason()).as("t-0 was forgotten: applied anew").isNull();
            harness.process(frame("line-a", "f1"));
            assertThat(harness.score("f1").threshold()).isEqualTo(0.3);
        }
    }

    @Test
    void aReplayedCommandAtOrBeforeTheLastAppliedPositionIsSkippedWithoutAnOutcome()
            throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.openWithMetrics(config(), backend)) {
            harness.process(at(setThreshold("line-a", "bad", 2.0), 10));
            harness.process(at(setThreshold("line-a", "t-11", 0.3), 11));
            harness.process(at(setThreshold("line-a", "t-12", 0.4), 12));
            assertThat(harness.outcomes()).hasSize(3);

            // The control topic read again from offset 10, then a new command at 13.
            harness.process(at(setThreshold("line-a", "bad", 2.0), 10));
            harness.process(at(setThreshold("line-a", "t-11", 0.3), 11));
            harness.process(at(setThreshold("line-a", "t-12", 0.4), 12));
            harness.process(frame("line-a", "f1"));
            harness.process(at(setThreshold("line-a", "t-13", 0.6), 13));

            assertThat(harness.orderOf("line-a"))
                    .containsExactly(
                            "command:bad",
                            "command:t-11",
                            "command:t-12",
                            "frame:f1",
                            "command:t-13");
            assertThat(harness.score("f1").threshold()).isEqualTo(0.4);
            assertThat(lastOutcome(harness).reason()).isNull();
            assertThat(((Counter) harness.metric("commandsSkipped")).getCount()).isEqualTo(3);
            assertThat(((Counter) harness.metric("commandsDuplicate")).getCount()).isZero();
        }
    }

    @Test
    void aCommandFromAnotherPartitionIsNotSkippedByOffsetButStillRecognisedByItsId()
            throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.openWithMetrics(config(), backend)) {
            harness.process(at(setThreshold("line-a", "t-50", 0.3), 50));
            harness.process(
                    LineInput.of(
                            setThreshold("line-a", "t-50", 0.3)
                                    .command()
                                    .withPosition(new RecordPosition(CONTROL, 1, 7))));
            harness.process(
                    LineInput.of(
                            setThreshold("line-a", "t-8", 0.7)
                                    .command()
                                    .withPosition(new RecordPosition(CONTROL, 1, 8))));

            assertThat(harness.orderOf("line-a"))
                    .containsExactly("command:t-50", "command:t-50", "command:t-8");
            assertThat(harness.outcomes().get(1).reason()).startsWith("duplicate of command t-50");
            assertThat(harness.outcomes().get(2).reason()).isNull();
            assertThat(((Counter) harness.metric("commandsDuplicate")).getCount()).isEqualTo(1);
        }
    }

    @Test
    void appliedIdsAndTheLastPositionSurviveASnapshotAndRestore() throws Exception {
        FakeBackend before = FakeBackend.create();
        OperatorSubtaskState snapshot;
        try (OperatorHarness harness = OperatorHarness.open(config(), before)) {
            harness.process(at(addShots("line-a", "add-1", "s1"), 20));
            before.bankCall(0).succeed();
            harness.drainMailbox();
            snapshot = harness.snapshot(1L);
        }

        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config(), after, snapshot)) {
            harness.process(at(addShots("line-a", "add-1", "s1"), 20));
            harness.process(at(addShots("line-a", "add-1", "s1"), 21));

            assertThat(after.bankCalls).isEmpty();
            assertThat(harness.outcomes())
                    .singleElement()
                    .satisfies(
                            outcome -> {
                                assertThat(outcome.reason()).startsWith("duplicate of command");
                                assertThat(outcome.shotCount()).isEqualTo(1);
                            });
        }
    }
}
