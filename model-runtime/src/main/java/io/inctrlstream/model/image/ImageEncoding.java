package io.inctrlstream.model.image;

/** How the bytes of a camera frame are encoded. */
public enum ImageEncoding {
    /** A JPEG file (baseline or progressive, 8-bit, grayscale or YCbCr/RGB). */
    JPEG,
    /** A PNG file (any bit depth and colour type except 16-bit grayscale). */
    PNG,
    /** Raw interleaved 8-bit RGB, row-major, no padding: exactly width * height * 3 bytes. */
    RGB8,
    /** Raw 8-bit grayscale, row-major, no padding: exactly width * height bytes. */
    GRAY8;

    /** Whether the bytes carry no header, so that the frame's width and height must be given. */
    public boolean isRaw() {
        return this == RGB8 || this == GRAY8;
    }
}
