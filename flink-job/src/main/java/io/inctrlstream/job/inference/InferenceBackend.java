package io.inctrlstream.job.inference;

import java.util.List;

/**
 * The model as the inference operator sees it: builds shot banks and scores batches of frames,
 * asynchronously. The operator calls these methods on its task thread and never blocks on the
 * futures; implementations must therefore return quickly and do the work elsewhere (see {@link
 * InferenceBackends#onDedicatedThread} for blocking engines). Futures may complete on any thread.
 *
 * <p>Each call says when it really starts ({@link InferenceCall#started()}): the operator's timeout
 * runs from then. The operator keeps at most its configured number of calls (scoring batches and
 * bank builds together) with the backend. Every future a backend returns must eventually complete:
 * a call that has not answered one timeout after it timed out counts as stuck and fails the task.
 *
 * <p>Failures: complete the answer with {@link NonRetryableInferenceException} when retrying cannot
 * help (the input is at fault), with {@link InferenceBackendFailedException} (or let an {@link
 * Error} through) when the backend itself is broken and must be recreated; anything else counts as
 * transient and is retried.
 *
 * <p>One instance per operator subtask, created by an {@link InferenceBackendFactory} when the
 * operator opens and closed when it closes.
 */
public interface InferenceBackend extends AutoCloseable {
    /**
     * Builds a line's new shot bank: encodes the new shots and combines them with the base bank and
     * the category's text prototypes.
     */
    InferenceCall<BuiltBank> buildBank(BankBuildRequest request);

    /**
     * Scores a batch of frames, possibly of many lines. The result list has one entry per request,
     * in the same order. Fail the answer when the whole batch failed.
     */
    InferenceCall<List<FrameScoreResult>> scoreBatch(List<ScoringRequest> requests);

    /** Releases the model; called once, on the task thread, when the operator closes. */
    @Override
    void close();
}
