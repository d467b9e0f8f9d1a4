package io.inctrlstream.job.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DedicatedThreadBackendTest {

    /** A blocking backend whose scoreBatch waits for the test's latch. */
    private static class GatedBackend implements BlockingInferenceBackend {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<String> scoringThread = new AtomicReference<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public BuiltBank buildBank(BankBuildRequest request) throws IOException {
            throw new IOException("no bank today");
        }

        @Override
        public List<FrameScoreResult> scoreBatch(List<ScoringRequest> requests)
                throws InterruptedException {
            scoringThread.set(Thread.currentThread().getName());
            started.countDown();
            release.await();
            return List.of(FrameScoreResult.failed("gated"));
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static ScoringRequest request() {
        return new ScoringRequest(
                "line-a",
                "f1",
                new ShotBankRef("line-a", 1, new byte[] {1}),
                TestInputs.image("f1"),
                0.5);
    }

    @Test
    void runsCallsOnTheNamedThreadWithoutBlockingTheCaller() throws Exception {
        GatedBackend blocking = new GatedBackend();
        InferenceBackend backend =
                InferenceBackends.onDedicatedThread(blocking, "inference-0", Duration.ofSeconds(5));
        try {
            CompletableFuture<List<FrameScoreResult>> answer =
                    backend.scoreBatch(List.of(request())).answer();
            assertThat(blocking.started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(answer).isNotDone();

            blocking.release.countDown();

            assertThat(answer.get(10, TimeUnit.SECONDS))
                    .containsExactly(FrameScoreResult.failed("gated"));
            assertThat(blocking.scoringThread.get()).isEqualTo("inference-0");
        } finally {
            backend.close();
        }
        assertThat(blocking.closed).isTrue();
    }

    @Test
    void aCallStartsWhenTheThreadTakesItUpNotWhenItIsSubmitted() throws Exception {
        GatedBackend blocking = new GatedBackend();
        InferenceBackend backend =
                InferenceBackends.onDedicatedThread(blocking, "inference-0", Duration.ofSeconds(5));
        try {
            InferenceCall<List<FrameScoreResult>> first = backend.scoreBatch(List.of(request()));
            InferenceCall<List<FrameScoreResult>> second = backend.scoreBatch(List.of(request()));
            assertThat(blocking.started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(first.started()).isDone();
            assertThat(second.started()).as("queued behind the running call").isNotDone();

            blocking.release.countDown();
            second.started().get(10, TimeUnit.SECONDS);
            assertThat(first.answer()).as("the first ended before the second started").isDone();
            assertThat(second.answer().get(10, TimeUnit.SECONDS)).hasSize(1);
        } finally {
            backend.close();
        }
    }

    @Test
    void aQueuedBatchIsAnnouncedOnTheSubmittingThreadBeforeItsCallStarts() throws Exception {
        List<String> announcedOn = new CopyOnWriteArrayList<>();
        List<List<ScoringRequest>> announced = new CopyOnWriteArrayList<>();
        List<List<ScoringRequest>> scored = new CopyOnWriteArrayList<>();
        GatedBackend blocking =
                new GatedBackend() {
                    @Override
                    public void batchSubmitted(List<ScoringRequest> requests) {
                        announcedOn.add(Thread.currentThread().getName());
                        announced.add(requests);
                    }

                    @Override
                    public List<FrameScoreResult> scoreBatch(List<ScoringRequest> requests)
                            throws InterruptedException {
                        scored.add(requests);
                        return super.scoreBatch(requests);
                    }
                };
        InferenceBackend backend =
                InferenceBackends.onDedicatedThread(blocking, "inference-0", Duration.ofSeconds(5));
        try {
            List<ScoringRequest> first = List.of(request());
            List<ScoringRequest> second = List.of(request());
            backend.scoreBatch(first);
            InferenceCall<List<FrameScoreResult>> queued = backend.scoreBatch(second);
            assertThat(blocking.started.await(10, TimeUnit.SECONDS)).isTrue();

            // The second is announced although the first still holds the thread.
            assertThat(queued.started()).isNotDone();
            assertThat(announced).hasSize(2);
            assertThat(announced.get(1)).isSameAs(second);
            assertThat(announcedOn).containsOnly(Thread.currentThread().getName());

            blocking.release.countDown();
            assertThat(queued.answer().get(10, TimeUnit.SECONDS)).hasSize(1);
            assertThat(scored.get(1)).as("the very list announced").isSameAs(second);
        } finally {
            backend.close();
        }
    }

    @Test
    void aFailingAnnouncementDoesNotFailTheCall() throws Exception {
        GatedBackend blocking =
                new GatedBackend() {
                    @Override
                    public void batchSubmitted(List<ScoringRequest> requests) {
                        throw new IllegalStateException("no head start today");
                    }
                };
        blocking.release.countDown();
        InferenceBackend backend =
                InferenceBackends.onDedicatedThread(blocking, "inference-0", Duration.ofSeconds(5));
        try {
            assertThat(backend.scoreBatch(List.of(request())).answer().get(10, TimeUnit.SECONDS))
                    .containsExactly(FrameScoreResult.failed("gated"));
        } finally {
            backend.close();
        }
    }

    @Test
    void anErrorOfTheBlockingBackendFailsTheFutureAndTheThreadGoesOn() throws Exception {
        OutOfMemoryError error = new OutOfMemoryError("Java heap space");
        GatedBackend blocking =
                new GatedBackend() {
                    @Override
                    public BuiltBank buildBank(BankBuildRequest request) {
                        throw error;
                    }
                };
        blocking.release.countDown();
        InferenceBackend backend =
                InferenceBackends.onDedicatedThread(blocking, "inference-0", Duration.ofSeconds(5));
        try {
            BankBuildRequest request =
                    new BankBuildRequest("line-a", null, TestInputs.images("s1"), null);
            assertThatThrownBy(() -> backend.buildBank(request).answer().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCause(error);
            assertThat(backend.scoreBatch(List.of(request())).answer().get(10, TimeUnit.SECONDS))
                    .hasSize(1);
        } finally {
            backend.close();
        }
    }

    @Test
    void exceptionsFailTheFuture() {
        GatedBackend blocking = new GatedBackend();
        InferenceBackend backend =
                InferenceBackends.onDedicatedThread(blocking, "inference-0", Duration.ofSeconds(5));
        try {
            assertThatThrownBy(
                            () ->
                                    backend.buildBank(
                                                    new BankBuildRequest(
                                                            "line-a",
                                                            null,
                                                            TestInputs.images("s1"),
                                                            null))
                                            .answer()
                                            .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(IOException.class)
                    .hasRootCauseMessage("no bank today");
        } finally {
            backend.close();
        }
    }

    @Test
    void callsAfterCloseFailAndAStuckCallKeepsTheBackendOpen() throws Exception {
        GatedBackend blocking =
                new GatedBackend() {
                    @Override
                    public List<FrameScoreResult> scoreBatch(List<ScoringRequest> requests) {
                        started.countDown();
                        // Ignores interrupts, like a native call that cannot be stopped.
                        while (release.getCount() > 0) {
                            try {
                                release.await();
                            } catch (InterruptedException ignored) {
                                // keep waiting
                            }
                        }
                        return List.of();
                    }
                };
        InferenceBackend backend =
                InferenceBackends.onDedicatedThread(blocking, "inference-0", Duration.ZERO);
        backend.scoreBatch(List.of(request()));
        assertThat(blocking.started.await(10, TimeUnit.SECONDS)).isTrue();

        backend.close();

        assertThat(blocking.closed).as("not closed under a running call").isFalse();
        assertThatThrownBy(() -> backend.scoreBatch(List.of(request())).answer().get())
                .hasRootCauseInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                .hasMessageContaining("the inference backend is closed");
        blocking.release.countDown();
    }
}
