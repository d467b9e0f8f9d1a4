package io.inctrlstream.job.inference;

import java.io.Serializable;

/**
 * Creates the inference backend of one operator subtask. Shipped with the job graph, so it must be
 * serializable and light: load models in {@link #create}, not in the constructor.
 */
@FunctionalInterface
public interface InferenceBackendFactory extends Serializable {
    /** Creates (and opens) a backend; called once per subtask when the operator opens. */
    InferenceBackend create(InferenceBackendContext context) throws Exception;
}
