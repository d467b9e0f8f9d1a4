package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.LineInferenceOperatorTest.giveShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broken backend fails the task (an exception out of the mailbox), so that Flink restarts it from
 * its last checkpoint and the model is loaded anew; the inputs involved are not answered but re-run
 * after the restore. Flink's harness plays the task: a mail that throws is a failed task.
 */
@Timeout(60)
class LineInferenceSelfHealingTest {
    private static final String RESTART =
            "; failing the task so that Flink restarts it from its last checkpoint and loads the"
                    + " model anew";

    private static InferenceOperatorConfig.Builder config() {
        return InferenceOperatorConfig.builder()
                .maxBatchSize(1)
                .maxBatchWait(Duration.ZERO)
                .timeout(Duration.ofMillis(100))
                .maxRetries(2);
    }

    @Test
    void anErrorFromTheBackendFailsTheTaskAndAnswersNothing() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            OutOfMemoryError error = new OutOfMemoryError("Java heap space");
            backend.batch(0).fail(error);

            assertThatThrownBy(harness::drainMailbox)
                    .isInstanceOf(InferenceBackendFailedException.class)
                    .hasMessage(
                            "the inference backend is broken: a scoring batch of 1 frame failed"
                                    + " with OutOfMemoryError: Java heap space"
                                    + RESTART)
                    .hasCause(error);
            assertThat(harness.scores()).as("f1 is re-run after the restore").isEmpty();
            assertThat(backend.batches).as("not retried").hasSize(1);
        }
    }

    @Test
    void aBackendThatSaysItIsBrokenFailsTheTaskAtOnce() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            backend.batch(0)
                    .fail(
                            new InferenceBackendFailedException(
                                    "SESSION_BROKEN: CUDA failure 700: an illegal memory access"));

            assertThatThrownBy(harness::drainMailbox)
                    .isInstanceOf(InferenceBackendFailedException.class)
                    .hasMessage(
                            "the inference backend is broken: a scoring batch of 1 frame failed"
                                    + " with InferenceBackendFailedException: SESSION_BROKEN: CUDA"
                                    + " failure 700: an illegal memory access"
                                    + RESTART);
            assertThat(harness.scores()).isEmpty();
        }
    }

    @Test
    void anErrorWhileBuildingABankFailsTheTaskAndRejectsNothing() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            harness.process(setShots("line-a", "c1", "s1"));
            backend.bankCall(0).fail(new OutOfMemoryError("Direct buffer memory"));

            assertThatThrownBy(harness::drainMailbox)
                    .isInstanceOf(InferenceBackendFailedException.class)
                    .hasMessage(
                            "the inference backend is broken: the shot bank build of line"
                                    + " \"line-a\" failed with OutOfMemoryError: Direct buffer"
                                    + " memory"
                                    + RESTART);
            assertThat(harness.outcomes()).isEmpty();
        }
    }

    @Test
    void consecutiveFailedCallsFailTheTaskBeforeTheFramesFail() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxRetries(5).maxConsecutiveFailures(3).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            IOException lost = new IOException("device lost");
            backend.batch(0).fail(lost);
            harness.drainMailbox();
            backend.batch(1).fail(lost);
            harness.drainMailbox();
            backend.batch(2).fail(lost);

            assertThatThrownBy(harness::drainMailbox)
                    .isInstanceOf(InferenceBackendFailedException.class)
                    .hasMessage(
                            "the inference backend failed 3 calls in a row, the last a scoring"
                                    + " batch of 1 frame: IOException: device lost"
                                    + RESTART)
                    .hasCause(lost);
            assertThat(harness.scores()).isEmpty();
        }
    }

    @Test
    void timedOutCallsCountAsFailedCalls() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxConsecutiveFailures(2).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.setProcessingTime(100); // batch 0 times out; the retry is batch 1
            backend.batch(0).succeed(0.5f); // late, dropped
            harness.drainMailbox();
            // Batch 1 times out: the timer's mail fails the task.
            assertThatThrownBy(() -> harness.setProcessingTime(200))
                    .isInstanceOf(InferenceBackendFailedException.class)
                    .hasMessage(
                            "the inference backend failed 2 calls in a row, the last a scoring"
                                    + " batch of 1 frame: timed out after 100 ms"
                                    + RESTART);
            assertThat(harness.scores()).isEmpty();
        }
    }

    @Test
    void anAnsweredCallResetsTheCount() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxRetries(5).maxConsecutiveFailures(3).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            int batch = 0;
            for (String frameId : List.of("f1", "f2", "f3")) {
                harness.process(frame("line-a", frameId));
                backend.batch(batch++).fail(new IOException("busy"));
                harness.drainMailbox();
                backend.batch(batch++).fail(new IOException("busy"));
                harness.drainMailbox();
                backend.batch(batch++).succeed(0.3f);
                harness.drainMailbox();
            }

            assertThat(harness.scores())
                    .extracting(FrameScore::frameId, FrameScore::status, FrameScore::attempts)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("f1", ScoreStatus.SCORED, 3),
                            org.assertj.core.groups.Tuple.tuple("f2", ScoreStatus.SCORED, 3),
                            org.assertj.core.groups.Tuple.tuple("f3", ScoreStatus.SCORED, 3));
        }
    }

    @Test
    void framesFailingAloneAndNonRetryableFailuresNeverCount() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxConsecutiveFailures(1).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            for (int i = 0; i < 3; i++) {
                harness.process(frame("line-a", "bad-" + i));
                backend.batch(2 * i)
                        .answer()
                        .complete(
                                List.of(
                                        FrameScoreResult.imageFailed(
                                                ImageFailure.IMAGE_CORRUPT,
                                                "IMAGE_CORRUPT: cut short")));
                harness.drainMailbox();
                harness.process(frame("line-a", "other-bank-" + i));
                backend.batch(2 * i + 1)
                        .fail(new NonRetryableInferenceException("bank of another model"));
                harness.drainMailbox();
            }

            assertThat(harness.scores())
                    .hasSize(6)
                    .allSatisfy(score -> assertThat(score.status()).isEqualTo(ScoreStatus.FAILED));
        }
    }

    @Test
    void aCallStillUnansweredOneTimeoutAfterItTimedOutIsStuckAndFailsTheTask() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.setProcessingTime(100); // times out, retried as batch 1
            backend.batch(1).succeed(0.2f); // the retry is answered; batch 0 never is
            harness.drainMailbox();
            assertThat(harness.score("f1").status()).isEqualTo(ScoreStatus.SCORED);

            assertThatThrownBy(() -> harness.setProcessingTime(200))
                    .isInstanceOf(InferenceBackendFailedException.class)
                    .hasMessage(
                            "the inference backend has not answered a scoring batch of 1 frame"
                                    + " 200 ms after it started (the timeout is 100 ms): the call"
                                    + " is stuck, and a blocking backend runs nothing else"
                                    + " meanwhile"
                                    + RESTART);
        }
    }

    @Test
    void theFramesOfTheFailedTaskAreScoredOnceAfterTheRestore() throws Exception {
        FakeBackend first = FakeBackend.create();
        OperatorSubtaskState checkpoint;
        try (OperatorHarness harness = OperatorHarness.open(config().build(), first)) {
            giveShots(harness, first, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            checkpoint = harness.snapshot(1);
            first.batch(0).fail(new OutOfMemoryError("Java heap space"));
            assertThatThrownBy(harness::drainMailbox)
                    .isInstanceOf(InferenceBackendFailedException.class);
            assertThat(harness.scores()).isEmpty();
        }

        FakeBackend second = FakeBackend.create();
        try (OperatorHarness restored =
                OperatorHarness.open(config().build(), second, checkpoint)) {
            assertThat(second.batch(0).frameIds()).containsExactly("f1");
            second.batch(0).succeed(0.4f);
            restored.drainMailbox();

            assertThat(restored.scores())
                    .extracting(FrameScore::frameId, FrameScore::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("f1", ScoreStatus.SCORED));
        }
    }
}
