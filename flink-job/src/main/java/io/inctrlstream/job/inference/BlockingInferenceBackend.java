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

    /** Releases the model; called once no call runs any more. */
    @Override
    void close();
}
