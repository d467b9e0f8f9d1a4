package io.inctrlstream.job.io;

/**
 * Why an input record became a dead letter: the {@code DeadLetter.reasonCode} values the job
 * writes. The first three are the Avro decoder's own classification ({@code
 * SchemaDecodeException.Reason}); the {@code IMAGE_*} ones are the model runtime's image decoder's
 * ({@code ModelException.Reason}), for a frame whose image does not decode (which also gets a
 * FAILED score); the others are the job's validation.
 */
public enum DeadLetterReason {
    /** Not Avro single-object encoded (empty, or not starting with 0xC3 0x01). */
    NOT_SINGLE_OBJECT,
    /** Single-object encoded, but with a schema fingerprint that is no known version. */
    UNKNOWN_FINGERPRINT,
    /** The header is right but the body is not one valid record of the named schema. */
    MALFORMED,
    /** A frame record larger than the frame byte limit, or declaring more pixels than allowed. */
    FRAME_TOO_LARGE,
    /**
     * A frame with an invalid line id ({@code LineIds}), without frame id, or whose image is not a
     * valid image record.
     */
    INVALID_FRAME,
    /** A command record larger than the command byte limit. */
    COMMAND_TOO_LARGE,
    /**
     * A command without command id, with an invalid line id ({@code LineIds}), without a known
     * action, or with a shot image that is not a valid image record.
     */
    INVALID_COMMAND,
    /**
     * A frame or command whose Kafka key is not its line id in UTF-8, or that has no key: it sits
     * in another line's partition (or any), so the line's order would not hold.
     */
    KEY_MISMATCH,
    /** A record from a topic that is neither the frames nor the control topic. */
    UNKNOWN_TOPIC,
    /**
     * Decoding failed in a way the job does not expect (a bug of the job): the reason holds the
     * exception. The record is kept rather than failing the job over and over.
     */
    DECODING_FAILED,
    /** A frame whose JPEG or PNG is corrupt, truncated or not of the declared encoding. */
    IMAGE_CORRUPT,
    /** A frame whose image header declares more pixels than allowed (a decompression bomb). */
    IMAGE_TOO_LARGE,
    /** A frame whose decoded image is not of the declared width and height. */
    IMAGE_SIZE_MISMATCH,
    /** A frame whose image is of an unsupported kind. */
    IMAGE_UNSUPPORTED;

    /**
     * Whether this reason is found only when the image is decoded (by the inference backend, after
     * the decode stage): the frame's dead letter then comes from the output stage.
     */
    public boolean isImageFailure() {
        return this == IMAGE_CORRUPT
                || this == IMAGE_TOO_LARGE
                || this == IMAGE_SIZE_MISMATCH
                || this == IMAGE_UNSUPPORTED;
    }
}
