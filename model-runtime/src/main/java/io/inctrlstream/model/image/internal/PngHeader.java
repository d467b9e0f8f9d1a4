package io.inctrlstream.model.image.internal;

/**
 * The fields of a PNG's IHDR chunk that decide how Pillow treats the image (its mode), read
 * straight from the bytes: the JDK reader's colour model does not tell them apart (it adds an alpha
 * channel for a tRNS chunk, and shows 2- and 4-bit grayscale as indexed).
 */
public record PngHeader(int width, int height, int bitDepth, int colorType) {
    /** The 8-byte PNG signature. */
    public static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    public static final int GRAY = 0;
    public static final int RGB = 2;
    public static final int PALETTE = 3;
    public static final int GRAY_ALPHA = 4;
    public static final int RGBA = 6;

    /**
     * Parses the IHDR chunk that must follow the signature.
     *
     * @throws IllegalArgumentException if it is missing, truncated or invalid
     */
    public static PngHeader parse(byte[] png) {
        int start = SIGNATURE.length;
        if (png.length < start + 8 + 13) {
            throw new IllegalArgumentException(
                    "expected at least " + (start + 8 + 13) + " bytes, found " + png.length);
        }
        int length = readInt(png, start);
        String type = new String(png, start + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!"IHDR".equals(type) || length != 13) {
            throw new IllegalArgumentException(
                    "expected an IHDR chunk of 13 bytes first, found '"
                            + type.replaceAll("[^\\x20-\\x7E]", "?")
                            + "' of "
                            + length);
        }
        int width = readInt(png, start + 8);
        int height = readInt(png, start + 12);
        int bitDepth = png[start + 16] & 0xFF;
        int colorType = png[start + 17] & 0xFF;
        boolean valid =
                switch (colorType) {
                    case GRAY ->
                            bitDepth == 1
                                    || bitDepth == 2
                                    || bitDepth == 4
                                    || bitDepth == 8
                                    || bitDepth == 16;
                    case PALETTE ->
                            bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
                    case RGB, GRAY_ALPHA, RGBA -> bitDepth == 8 || bitDepth == 16;
                    default -> false;
                };
        if (!valid) {
            throw new IllegalArgumentException(
                    "invalid colour type " + colorType + " with bit depth " + bitDepth);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "invalid size "
                            + Integer.toUnsignedString(width)
                            + "x"
                            + Integer.toUnsignedString(height));
        }
        return new PngHeader(width, height, bitDepth, colorType);
    }

    private static int readInt(byte[] data, int offset) {
        return (data[offset] & 0xFF) << 24
                | (data[offset + 1] & 0xFF) << 16
                | (data[offset + 2] & 0xFF) << 8
                | (data[offset + 3] & 0xFF);
    }
}
