package io.inctrlstream.model;

import java.util.Objects;

/**
 * The one checked exception of the model runtime: a model bundle, an image or an inference failed.
 * {@link #reason()} classifies the failure so that callers (the streaming job's dead letters and
 * failed scores) can report it without parsing messages.
 */
public class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    public enum Reason {
        /** A bundle file is missing. */
        BUNDLE_FILE_MISSING,
        /** A bundle file's content does not match its manifest (hash, size, format). */
        BUNDLE_CORRUPT,
        /**
         * The manifest, or a graph's inputs and outputs, do not match what this runtime expects.
         */
        BUNDLE_MISMATCH,
        /** The bundle's format version is not supported by this runtime. */
        BUNDLE_UNSUPPORTED_VERSION,
        /** Image bytes are corrupt, truncated or not of the declared encoding. */
        IMAGE_CORRUPT,
        /** The image's declared dimensions exceed the configured pixel or byte budget. */
        IMAGE_TOO_LARGE,
        /** Raw image data does not match its declared width, height and encoding. */
        IMAGE_SIZE_MISMATCH,
        /** The image encoding is not supported. */
        IMAGE_UNSUPPORTED,
        /** A serialized shot bank is corrupt, of an unknown version, or fails its hash. */
        SHOT_BANK_CORRUPT,
        /** A shot bank was built for another model than the engine's. */
        SHOT_BANK_MISMATCH,
        /** Text could not be tokenized or encoded. */
        TEXT_INVALID,
        /** ONNX Runtime failed while running a graph. */
        INFERENCE_FAILED,
        /**
         * ONNX Runtime's session can no longer be trusted: its device failed while running a graph
         * (a CUDA, cuBLAS or cuDNN failure, an execution provider failure) or the memory for the
         * run could not be allocated. Close the engine and open it again.
         */
        SESSION_BROKEN,
        /**
         * The requested device (CUDA) cannot be used and falling back to the CPU is not allowed.
         */
        DEVICE_UNAVAILABLE
    }

    private final Reason reason;

    public ModelException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ModelException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The failure's classification. */
    public Reason reason() {
        return reason;
    }
}
