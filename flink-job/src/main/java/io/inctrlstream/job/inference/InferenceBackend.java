package io.inctrlstream.job.inference;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The model as the inference operator sees it: builds shot banks and scores batches of frames,
 * asynchronously. The operator calls these methods on its task thread and never blocks on the
 * futures; implementations must therefore return quickly and do the work elsewhere (see {@link
 * InferenceBackends#onDedicatedThread} for blocking engines). Futures may complete on any thread.
 *
 * <p>One instance per operator subtask, created by an {@link InferenceBackendFactory} when the
 * operator opens and closed when it closes.
 */
public interface InferenceBackend extends AutoCloseable {
    /**
     * Builds a line's new shot bank: encodes the new shots and combines them with the base bank and
     * the category's text prototypes. Fail the future with {@link NonRetryableInferenceException}
     * when retrying cannot help.
     */
    CompletableFuture<BuiltBank> buildBank(BankBuildRequest request);

    /**
     * Scores a batch of frames, possibly of many lines. The result list has one entry per request,
     * in the same order. Fail the future when the whole batch failed.
     */
    CompletableFuture<List<FrameScoreResult>> scoreBatch(List<ScoringRequest> requests);

    /** Releases the model; called once, on the task thread, when the operator closes. */
    @Override
    void close();
}
