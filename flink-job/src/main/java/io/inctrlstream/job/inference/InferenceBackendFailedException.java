package io.inctrlstream.job.inference;

/**
 * The inference backend cannot go on: its device was lost, its session is broken, it ran out of
 * memory, or it failed many calls in a row. A backend completes a future with it to say so; the
 * line inference operator then fails its task with it (and with the reason), so that Flink restarts
 * the task from its last checkpoint and the backend, and its model, are created anew. The inputs in
 * flight are not answered: they are re-run after the restore.
 */
public class InferenceBackendFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public InferenceBackendFailedException(String message) {
        super(message);
    }

    public InferenceBackendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
