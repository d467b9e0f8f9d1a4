package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.LineInferenceOperatorTest.giveShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the operator hands its backend: one budget of calls shared by scoring batches and bank
 * builds, timeouts that run from a call's real start, and batches cut by a pixel budget.
 */
@Timeout(60)
class LineInferenceBudgetsTest {

    private static InferenceOperatorConfig.Builder config() {
        return InferenceOperatorConfig.builder()
                .maxBatchSize(1)
                .maxBatchWait(Duration.ZERO)
                .timeout(Duration.ofMillis(100));
    }

    // ------------------------------------------------------------ timeouts from the start

    @Test
    void aCallQueuedAtTheBackendIsNotTimedOutWhileItWaits() throws Exception {
        FakeBackend backend = FakeBackend.create().startingCallsWhenTold();
        InferenceOperatorConfig config = config().maxConcurrentBatches(2).maxRetries(0).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.process(frame("line-a", "f2"));
            backend.batch(0).start();
            harness.drainMailbox();

            harness.setProcessingTime(100); // f1's call ran for the timeout; f2's never started
            assertThat(harness.score("f1").failureReason())
                    .isEqualTo(
                            "inference failed after 1 attempts: inference timed out after 100 ms");
            assertThat(harness.scores()).hasSize(1);

            backend.batch(0).succeed(0.9f); // late: dropped
            harness.setProcessingTime(150);
            backend.batch(1).start(); // f2's call starts at 150: its timeout is at 250
            harness.drainMailbox();
            harness.setProcessingTime(249);
            assertThat(harness.scores()).hasSize(1);
            backend.batch(1).succeed(0.2f);
            harness.drainMailbox();

            assertThat(harness.score("f2").status()).isEqualTo(ScoreStatus.SCORED);
            assertThat(harness.score("f2").attempts()).isEqualTo(1);
        }
    }

    /** A blocking backend whose batch of frame "f1" waits for the test's latch. */
    static final class GatedBackend implements BlockingInferenceBackend {
        static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

        @Override
        public BuiltBank buildBank(BankBuildRequest request) {
            return new BuiltBank(new byte[] {1}, request.newShots().size());
        }

        @Override
        public List<FrameScoreResult> scoreBatch(List<ScoringRequest> requests)
                throws InterruptedException {
            if (requests.get(0).frameId().equals("f1")) {
                GATES.get("f1 started").countDown();
                GATES.get("release f1").await();
            }
            return requests.stream()
                    .map(request -> FrameScoreResult.scored(FakeBackend.values(0.1f)))
                    .collect(Collectors.toList());
        }

        @Override
        public void close() {}
    }

    @Test
    void withTheDedicatedThreadACallWaitingBehindAnotherIsNotTimedOut() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GatedBackend.GATES.put("f1 started", started);
        GatedBackend.GATES.put("release f1", release);
        InferenceBackendFactory factory =
                context ->
                        InferenceBackends.onDedicatedThread(
                                new GatedBackend(), "gated-inference", Duration.ofSeconds(5));
        InferenceOperatorConfig config = config().maxConcurrentBatches(2).maxRetries(0).build();
        try (OperatorHarness harness = OperatorHarness.open(config, factory)) {
            harness.process(setShots("line-a", "c1", "s1"));
            harness.runMailsUntil(() -> harness.outputs().size() == 1);
            harness.process(frame("line-a", "f1"));
            harness.process(frame("line-a", "f2"));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // The thread said it started f1 before running it: the operator arms f1's timeout.
            harness.drainMailbox();
            harness.setProcessingTime(100); // f1 ran for the timeout; f2 waits behind it
            release.countDown();
            harness.runMailsUntil(() -> harness.outputs().size() == 3);

            assertThat(harness.score("f1").status()).isEqualTo(ScoreStatus.FAILED);
            assertThat(harness.score("f2").status())
                    .as("f2 waited behind f1 and never ran for the timeout")
                    .isEqualTo(ScoreStatus.SCORED);
        } finally {
            release.countDown();
        }
    }

    // ------------------------------------------------------------ one budget of calls

    @Test
    void bankBuildsAndScoringBatchesShareTheCallBudget() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxConcurrentBatches(1).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-b", "b-shot");
            harness.process(setShots("line-a", "c1", "a-shot"));
            harness.process(frame("line-b", "b1"));
            assertThat(backend.bankCalls).hasSize(2);
            assertThat(backend.batches).as("the bank build holds the only slot").isEmpty();

            backend.bankCall(1).succeed();
            harness.drainMailbox();

            assertThat(backend.batch(0).frameIds()).containsExactly("b1");
        }
    }

    @Test
    void aBurstOfShotCommandsWaitsInTheOperatorNotAtTheBackend() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxConcurrentBatches(2).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            for (int line = 0; line < 6; line++) {
                harness.process(setShots("line-" + line, "c" + line, "s" + line));
            }
            assertThat(backend.bankCalls).hasSize(2);

            for (int answered = 0; answered < 6; answered++) {
                assertThat(backend.bankCalls.size() - answered)
                        .as("calls with the backend")
                        .isLessThanOrEqualTo(2);
                backend.bankCall(answered).succeed();
                harness.drainMailbox();
            }

            assertThat(backend.bankCalls).hasSize(6);
            assertThat(harness.outcomes())
                    .extracting(CommandOutcome::commandId, CommandOutcome::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("c0", CommandStatus.APPLIED),
                            org.assertj.core.groups.Tuple.tuple("c1", CommandStatus.APPLIED),
                            org.assertj.core.groups.Tuple.tuple("c2", CommandStatus.APPLIED),
                            org.assertj.core.groups.Tuple.tuple("c3", CommandStatus.APPLIED),
                            org.assertj.core.groups.Tuple.tuple("c4", CommandStatus.APPLIED),
                            org.assertj.core.groups.Tuple.tuple("c5", CommandStatus.APPLIED));
        }
    }

    @Test
    void whenASlotFreesTheCallDueTheLongestGoesFirst() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxConcurrentBatches(1).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "a-shot");
            harness.process(frame("line-a", "a1")); // batch 0 takes the slot
            harness.setProcessingTime(10);
            harness.process(setShots("line-b", "c1", "b-shot")); // due since 10
            harness.setProcessingTime(20);
            harness.process(frame("line-a", "a2")); // due since 20

            backend.batch(0).succeed(0.1f);
            harness.drainMailbox();
            assertThat(backend.bankCalls).hasSize(2);
            assertThat(backend.batches).hasSize(1);

            backend.bankCall(1).succeed();
            harness.drainMailbox();
            assertThat(backend.batch(1).frameIds()).containsExactly("a2");
        }
    }

    // ------------------------------------------------------------ pixel budget

    @Test
    void aBatchIsCutBeforeTheFrameThatWouldExceedThePixelBudget() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config =
                config().maxBatchSize(8)
                        .maxBatchPixels(1_000)
                        .maxBatchWait(Duration.ofHours(1))
                        .build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1", 20, 20)); // 400 pixels
            harness.process(frame("line-a", "f2", 20, 20));
            assertThat(backend.batches).as("800 pixels: not full yet").isEmpty();

            harness.process(frame("line-a", "f3", 20, 20)); // would make 1,200

            assertThat(backend.batch(0).frameIds())
                    .as("full by pixels, sent without waiting")
                    .containsExactly("f1", "f2");
        }
    }

    @Test
    void aFrameLargerThanThePixelBudgetIsScoredAlone() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config =
                config().maxBatchSize(8)
                        .maxBatchPixels(1_000)
                        .maxBatchWait(Duration.ofHours(1))
                        .maxConcurrentBatches(4)
                        .timeout(Duration.ofHours(2))
                        .build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "small-1", 10, 10));
            harness.process(frame("line-a", "huge", 100, 100)); // 10,000 pixels
            harness.process(frame("line-a", "small-2", 10, 10));
            harness.setProcessingTime(Duration.ofHours(1).toMillis()); // small-2's wait is over

            assertThat(backend.batches.stream().map(FakeBackend.BatchCall::frameIds))
                    .containsExactly(List.of("small-1"), List.of("huge"), List.of("small-2"));
        }
    }
}
