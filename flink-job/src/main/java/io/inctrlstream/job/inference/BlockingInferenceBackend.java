package io.inctrlstream.job.inference;

import java.util.List;

/**
 * A backend whose calls block until done, like an ONNX Runtime engine. Wrap it with {@link
 * InferenceBackends#onDedicatedThread} to get an {@link InferenceBackend} that runs the calls off
 * the task thread. Exceptions thrown here fail the corresponding future.
 */
public interface BlockingInferenceBackend extends AutoCloseable {
    /** See {@link InferenceBackend#buildBank}. */
    BuiltBank buildBank(BankBuildRequest request) throws Exception;

    /** See {@link InferenceBackend#scoreBatch}. */
    List<FrameScoreResult> scoreBatch(List<ScoringRequest> requests) throws Exception;

    /**
     * Told on the submitting thread, before {@link #scoreBatch} runs, that this very list (the same
     * instance) will be scored: a backend may start preparing its inputs here (decoding on a pool
     * of its own) so that the preparation overlaps the call running before it. Must not block and
     * must not fail; the default does nothing.
     */
    default void batchSubmitted(List<ScoringRequest> requests) {}

    /** Releases the model; called once no call runs any more. */
    @Override
    void close();
}
