package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.LineInferenceOperatorTest.giveShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timeouts, failures, retries and backpressure of the line operator. */
@Timeout(60)
class LineInferenceOperatorFailureTest {

    private static InferenceOperatorConfig.Builder config() {
        return InferenceOperatorConfig.builder()
                .maxBatchSize(1)
                .maxBatchWait(Duration.ofMillis(50))
                .timeout(Duration.ofMillis(100))
                .maxRetries(2);
    }

    @Test
    void timedOutBatchIsRetriedAndTheLateAnswerIgnored() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.setProcessingTime(99);
            assertThat(backend.batches).hasSize(1);

            harness.setProcessingTime(100);
            assertThat(backend.batches).as("retry after the timeout").hasSize(2);
            assertThat(backend.batch(1).frameIds()).containsExactly("f1");

            backend.batch(0).succeed(0.9f);
            harness.drainMailbox();
            assertThat(harness.scores()).as("a late answer is ignored").isEmpty();

            backend.batch(1).succeed(0.2f);
            harness.drainMailbox();
            assertThat(harness.scores()).hasSize(1);
            FrameScore score = harness.score("f1");
            assertThat(score.status()).isEqualTo(ScoreStatus.SCORED);
            assertThat(score.finalScore()).isEqualTo(0.2f);
            assertThat(score.attempts()).isEqualTo(2);
        }
    }

    @Test
    void timeoutsBeyondTheRetriesGiveAFailedScore() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxRetries(1).build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.setProcessingTime(100);
            backend.batch(0).succeed(0.9f); // late: dropped (and the call is not stuck)
            harness.drainMailbox();
            harness.setProcessingTime(200);

            FrameScore score = harness.score("f1");
            assertThat(score.status()).isEqualTo(ScoreStatus.FAILED);
            assertThat(score.failureReason())
                    .isEqualTo(
                            "inference failed after 2 attempts: inference timed out after 100 ms");
            assertThat(score.attempts()).isEqualTo(2);
            assertThat(backend.batches).hasSize(2);
            assertThat(harness.flink.wasFailedExternally()).isFalse();
        }
    }

    @Test
    void failuresBeyondTheRetriesGiveAFailedScoreAndTheLineGoesOn() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            for (int attempt = 0; attempt < 3; attempt++) {
                backend.batch(attempt).fail(new IOException("device lost"));
                harness.drainMailbox();
            }
            harness.process(frame("line-a", "f2"));
            backend.batch(3).succeed(0.1f);
            harness.drainMailbox();

            assertThat(backend.batches).hasSize(4);
            FrameScore failed = harness.score("f1");
            assertThat(failed.status()).isEqualTo(ScoreStatus.FAILED);
            assertThat(failed.failureReason())
                    .isEqualTo("inference failed after 3 attempts: IOException: device lost");
            assertThat(failed.anomalous()).isFalse();
            assertThat(failed.finalScore()).isNull();
            assertThat(harness.score("f2").status()).isEqualTo(ScoreStatus.SCORED);
            assertThat(harness.orderOf("line-a")).endsWith("frame:f1", "frame:f2");
            assertThat(harness.flink.wasFailedExternally()).isFalse();
        }
    }

    @Test
    void nonRetryableFailureFailsTheBatchAtOnce() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            backend.batch(0).fail(new NonRetryableInferenceException("bank of another model"));
            harness.drainMailbox();

            assertThat(backend.batches).hasSize(1);
            assertThat(harness.score("f1").failureReason())
                    .isEqualTo("NonRetryableInferenceException: bank of another model");
            assertThat(harness.score("f1").attempts()).isEqualTo(1);
        }
    }

    @Test
    void frameFailureInsideABatchFailsThatFrameOnly() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxBatchSize(2).build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "bad"));
            harness.process(frame("line-a", "good"));
            backend.batch(0)
                    .answer()
                    .complete(
                            List.of(
                                    FrameScoreResult.failed("image does not decode"),
                                    FrameScoreResult.scored(FakeBackend.values(0.4f))));
            harness.drainMailbox();

            assertThat(backend.batches).hasSize(1);
            assertThat(harness.score("bad").status()).isEqualTo(ScoreStatus.FAILED);
            assertThat(harness.score("bad").failureReason()).isEqualTo("image does not decode");
            assertThat(harness.score("good").status()).isEqualTo(ScoreStatus.SCORED);
        }
    }

    @Test
    void imageFailureIsNotRetriedAndCarriesItsKindAndTheFramesProvenance() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxBatchSize(3).build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(TestInputs.frameFromRecord("line-a", "corrupt", 40L));
            harness.process(TestInputs.frameFromRecord("line-a", "lost", 41L));
            harness.process(TestInputs.frameFromRecord("line-a", "good", 42L));
            backend.batch(0)
                    .answer()
                    .complete(
                            List.of(
                                    FrameScoreResult.imageFailed(
                                            ImageFailure.IMAGE_CORRUPT, "IMAGE_CORRUPT: cut short"),
                                    FrameScoreResult.failed("SHOT_BANK_MISMATCH: another model"),
                                    FrameScoreResult.scored(FakeBackend.values(0.4f))));
            harness.drainMailbox();
            harness.setProcessingTime(1_000); // past every timeout: nothing is retried

            assertThat(backend.batches).hasSize(1);
            assertThat(harness.scores())
                    .extracting(FrameScore::frameId)
                    .containsExactly("corrupt", "lost", "good");
            FrameScore corrupt = harness.score("corrupt");
            assertThat(corrupt.status()).isEqualTo(ScoreStatus.FAILED);
            assertThat(corrupt.failureReason()).isEqualTo("IMAGE_CORRUPT: cut short");
            assertThat(corrupt.imageFailure()).isEqualTo(ImageFailure.IMAGE_CORRUPT);
            assertThat(corrupt.attempts()).isEqualTo(1);
            assertThat(corrupt.provenance())
                    .usingRecursiveComparison()
                    .isEqualTo(TestInputs.provenance("line-a", 40L));
            FrameScore lost = harness.score("lost");
            assertThat(lost.status()).isEqualTo(ScoreStatus.FAILED);
            assertThat(lost.imageFailure()).isNull();
            assertThat(lost.provenance()).as("only image failures carry it").isNull();
            FrameScore good = harness.score("good");
            assertThat(good.status()).isEqualTo(ScoreStatus.SCORED);
            assertThat(good.imageFailure()).isNull();
            assertThat(good.provenance()).isNull();
        }
    }

    @Test
    void answerOfTheWrongSizeFailsTheBatchWithTheReason() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxBatchSize(2).build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.process(frame("line-a", "f2"));
            backend.batch(0)
                    .answer()
                    .complete(List.of(FrameScoreResult.scored(FakeBackend.values(0.4f))));
            harness.drainMailbox();

            assertThat(harness.scores())
                    .extracting(FrameScore::status, FrameScore::failureReason)
                    .containsOnly(
                            org.assertj.core.groups.Tuple.tuple(
                                    ScoreStatus.FAILED,
                                    "the inference backend answered 1 results for a batch of 2"
                                            + " frames"));
        }
    }

    @Test
    void shotEncodingThatKeepsFailingRejectsTheCommand() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            harness.process(setShots("line-a", "c1", "s1"));
            harness.process(frame("line-a", "f1"));
            backend.bankCall(0).fail(new IOException("out of memory"));
            harness.drainMailbox();
            harness.setProcessingTime(100); // the second attempt times out
            assertThat(backend.bankCall(2).newShotNames()).containsExactly("s1");
            backend.bankCall(2).fail(new IOException("out of memory"));
            harness.drainMailbox();

            assertThat(backend.bankCalls).hasSize(3);
            CommandOutcome outcome = harness.outcomes().get(0);
            assertThat(outcome.status()).isEqualTo(CommandStatus.REJECTED);
            assertThat(outcome.reason())
                    .isEqualTo("shot encoding failed after 3 attempts: IOException: out of memory");
            assertThat(outcome.shotsVersion()).isZero();
            assertThat(harness.orderOf("line-a")).containsExactly("command:c1", "frame:f1");
            assertThat(harness.score("f1").status()).isEqualTo(ScoreStatus.NO_REFERENCE);
        }
    }

    @Test
    void badShotRejectsTheCommandAtOnce() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            harness.process(setShots("line-a", "c1", "s1"));
            backend.bankCall(0).fail(new NonRetryableInferenceException("shot 0 is not a PNG"));
            harness.drainMailbox();

            assertThat(backend.bankCalls).hasSize(1);
            assertThat(harness.outcomes().get(0).reason())
                    .isEqualTo("NonRetryableInferenceException: shot 0 is not a PNG");
        }
    }

    @Test
    void bankOfTheWrongShotCountIsRejected() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config().build(), backend)) {
            harness.process(setShots("line-a", "c1", "s1", "s2"));
            backend.bankCall(0).answer().complete(new BuiltBank(new byte[] {1}, 1));
            harness.drainMailbox();

            CommandOutcome outcome = harness.outcomes().get(0);
            assertThat(outcome.status()).isEqualTo(CommandStatus.REJECTED);
            assertThat(outcome.reason())
                    .isEqualTo("the inference backend built a bank of 1 shots, expected 2");
        }
    }

    @Test
    void inputBlocksAtCapacityUntilAnAnswerFreesASlot() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().capacity(2).maxConcurrentBatches(2).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.process(frame("line-a", "f2"));
            assertThat(backend.batches).hasSize(2);

            // Runs only if processElement yields to the mailbox: it records what the backend had
            // seen while the input was blocked, then answers f1 to free a slot.
            AtomicInteger batchesWhileBlocked = new AtomicInteger(-1);
            AtomicInteger scoresWhileBlocked = new AtomicInteger(-1);
            harness.enqueueMail(
                    () -> {
                        batchesWhileBlocked.set(backend.batches.size());
                        scoresWhileBlocked.set(harness.scores().size());
                        backend.batch(0).succeed(0.1f);
                    });
            harness.process(frame("line-a", "f3"));

            assertThat(batchesWhileBlocked.get()).as("f3 was not taken in while full").isEqualTo(2);
            assertThat(scoresWhileBlocked.get()).isZero();
            assertThat(harness.orderOf("line-a")).endsWith("frame:f1");
            assertThat(backend.batch(2).frameIds()).containsExactly("f3");
        }
    }

    @Test
    void blockedInputSendsTheWaitingBatchWithoutWaitingForItsTimer() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config =
                config().capacity(2).maxBatchSize(4).maxBatchWait(Duration.ofHours(1)).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.process(frame("line-a", "f2"));
            assertThat(backend.batches).isEmpty();

            harness.enqueueMail(() -> backend.batch(0).succeed(0.1f));
            harness.process(frame("line-a", "f3"));

            assertThat(backend.batch(0).frameIds()).containsExactly("f1", "f2");
            assertThat(harness.orderOf("line-a")).endsWith("frame:f1", "frame:f2");
        }
    }
}
