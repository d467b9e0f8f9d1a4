package io.inctrlstream.job.inference;

/**
 * Completes a backend future to say that retrying cannot help (bad shot image, model mismatch): the
 * operator then fails the frames or rejects the command at once. Any other exception counts as
 * transient and is retried up to the configured number of times.
 */
public class NonRetryableInferenceException extends Exception {
    private static final long serialVersionUID = 1L;

    public NonRetryableInferenceException(String message) {
        super(message);
    }

    public NonRetryableInferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
