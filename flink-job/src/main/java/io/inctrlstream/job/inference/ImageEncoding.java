package io.inctrlstream.job.inference;

/** How the bytes of an {@link ImagePayload} are encoded; the inference backend decodes them. */
public enum ImageEncoding {
    /** A JPEG file. */
    JPEG,
    /** A PNG file. */
    PNG,
    /** Raw interleaved 8-bit RGB, row-major, width * height * 3 bytes. */
    RGB8,
    /** Raw 8-bit grayscale, row-major, width * height bytes. */
    GRAY8
}
