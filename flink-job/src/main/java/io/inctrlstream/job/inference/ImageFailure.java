package io.inctrlstream.job.inference;

/**
 * Why a frame's image could not be decoded, as a backend reports it with {@link
 * FrameScoreResult#imageFailed}. Such a frame gets a FAILED score, and (the record being bad in
 * itself) a dead letter with this reason; retrying cannot help, so it is never retried. The names
 * are the model runtime's image reasons ({@code ModelException.Reason}).
 */
public enum ImageFailure {
    /** The bytes are corrupt, truncated or not of the declared encoding. */
    IMAGE_CORRUPT,
    /** The image header declares more pixels, or the image holds more bytes, than allowed. */
    IMAGE_TOO_LARGE,
    /** The image's size (or a raw image's byte count) is not the declared width and height. */
    IMAGE_SIZE_MISMATCH,
    /** The image encoding (or a variant of it) is not supported. */
    IMAGE_UNSUPPORTED
}
