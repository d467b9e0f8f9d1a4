package io.inctrlstream.job.inference;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One call handed to an {@link InferenceBackend}: when the backend really starts running it, and
 * its answer. A backend that queues calls (one model, one thread) starts a call later than it was
 * made; the operator counts a call's timeout from its start, so that a call waiting behind another
 * is not timed out for waiting, and a call that runs past its timeout is known to be stuck.
 *
 * <p>Complete {@code started} when the work begins, before {@code answer}; an answer that comes
 * first counts as the start too. Both futures may complete on any thread.
 *
 * @param started completes (with null) when the backend starts running the call
 * @param answer the call's result, or its failure
 * @param <T> the result type
 */
public record InferenceCall<T>(CompletableFuture<Void> started, CompletableFuture<T> answer) {
    public InferenceCall {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(answer, "answer");
    }

    /** A call that runs as soon as it is made: for backends that never queue calls. */
    public static <T> InferenceCall<T> startedNow(CompletableFuture<T> answer) {
        return new InferenceCall<>(CompletableFuture.completedFuture(null), answer);
    }
}
