package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BlockingInferenceBackend;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.InferenceBackend;
import io.inctrlstream.job.inference.InferenceCall;
import io.inctrlstream.job.inference.ScoringRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link BlockingInferenceBackend} on one dedicated daemon thread, one call at a time in
 * submission order. A call's {@link InferenceCall#started()} completes when the thread takes it up,
 * not when it is submitted: a call queued behind a running one has not started.
 */
public final class DedicatedThreadBackend implements InferenceBackend {
    private static final Logger LOG = LoggerFactory.getLogger(DedicatedThreadBackend.class);

    private final BlockingInferenceBackend blocking;
    private final Duration closeGrace;
    private final ExecutorService executor;
    private boolean closed;

    public DedicatedThreadBackend(
            BlockingInferenceBackend blocking, String threadName, Duration closeGrace) {
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.closeGrace = Objects.requireNonNull(closeGrace, "closeGrace");
        Objects.requireNonNull(threadName, "threadName");
        if (closeGrace.isNegative()) {
            throw new IllegalArgumentException(
                    "close grace must not be negative, found " + closeGrace);
        }
        this.executor =
                Executors.newSingleThreadExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, threadName);
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    @Override
    public InferenceCall<BuiltBank> buildBank(BankBuildRequest request) {
        return submit(() -> blocking.buildBank(request));
    }

    @Override
    public InferenceCall<List<FrameScoreResult>> scoreBatch(List<ScoringRequest> requests) {
        try {
            if (!executor.isShutdown()) { // a closed backend refuses the call: nothing to prepare
                blocking.batchSubmitted(requests);
            }
        } catch (RuntimeException e) {
            // Only a head start: the call prepares its batch itself when it runs.
            LOG.warn("Preparing a submitted scoring batch ahead of its call failed", e);
        }
        return submit(() -> blocking.scoreBatch(requests));
    }

    private <T> InferenceCall<T> submit(Callable<T> call) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(
                    () -> {
                        started.complete(null);
                        try {
                            result.complete(call.call());
                        } catch (Throwable failure) {
                            // Errors too (out of memory): the operator decides what they mean.
                            result.completeExceptionally(failure);
                        }
                    });
        } catch (RejectedExecutionException rejected) {
            result.completeExceptionally(
                    new IllegalStateException("the inference backend is closed", rejected));
        }
        return new InferenceCall<>(started, result);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdownNow();
        boolean idle;
        try {
            idle = executor.awaitTermination(closeGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (idle) {
            blocking.close();
        } else {
            LOG.warn(
                    "The inference call still running after {} was not stopped; its backend is"
                            + " left open instead of being closed under it.",
                    closeGrace);
        }
    }
}
