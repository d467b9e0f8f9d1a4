package io.inctrlstream.job.inference;

import io.inctrlstream.job.inference.internal.DedicatedThreadBackend;
import java.time.Duration;

/** Adapters from other backend shapes to {@link InferenceBackend}. */
public final class InferenceBackends {
    private InferenceBackends() {}

    /**
     * Runs a blocking backend's calls one at a time on a dedicated daemon thread, in submission
     * order. Closing the result stops the thread (waiting up to {@code closeGrace} for the running
     * call) and then closes {@code blocking}; if the call does not finish in time, {@code blocking}
     * is left open rather than closed under a running native call.
     */
    public static InferenceBackend onDedicatedThread(
            BlockingInferenceBackend blocking, String threadName, Duration closeGrace) {
        return new DedicatedThreadBackend(blocking, threadName, closeGrace);
    }
}
