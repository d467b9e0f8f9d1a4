package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.InferenceBackendFailedException;
import io.inctrlstream.job.inference.NonRetryableInferenceException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Reading the failures that backend futures complete with. */
final class Failures {
    private Failures() {}

    /** The real cause behind the wrappers that futures add. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Whether retrying may help: not a failure the backend marked as final. */
    static boolean isRetryable(Throwable failure) {
        return !(unwrap(failure) instanceof NonRetryableInferenceException);
    }

    /**
     * Whether the backend itself is broken and must be recreated: an {@link Error} (out of memory,
     * a native library that went away) or an {@link InferenceBackendFailedException}.
     */
    static boolean isFatal(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof Error || cause instanceof InferenceBackendFailedException;
    }

    /** A one-line description for outputs: the exception's type and message. */
    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
