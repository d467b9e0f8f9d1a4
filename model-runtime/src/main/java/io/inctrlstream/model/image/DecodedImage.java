package io.inctrlstream.model.image;

import java.util.Objects;

/**
 * A decoded frame: width, height and interleaved 8-bit RGB pixels (row-major, {@code width * height
 * * 3} bytes; grayscale sources are already replicated to three channels).
 *
 * <p>Immutable: the pixels are copied in and {@link #pixels()} returns a copy. Images made by
 * {@link ImageDecoder} may also remember how Pillow would have resized their source (with
 * premultiplied alpha for a PNG with an alpha channel, nearest-neighbour for a palette or 1-bit
 * PNG) so that {@link ImagePreprocessor} reproduces the reference preprocessing exactly; the RGB
 * pixels are in every case those of Pillow's {@code convert("RGB")} (alpha dropped, not
 * composited).
 */
public final class DecodedImage {

    /** How Pillow resizes an image of the source's mode. */
    enum ResizeMode {
        /** Modes L and RGB: bicubic on the pixels. */
        BICUBIC,
        /** Modes LA and RGBA: bicubic on alpha-premultiplied pixels, then un-premultiplied. */
        BICUBIC_PREMULTIPLIED,
        /** Modes P and 1: Pillow always resizes these with NEAREST. */
        NEAREST
    }

    private final int width;
    private final int height;
    private final byte[] rgb;
    private final byte[] alpha;
    private final ResizeMode resizeMode;

    private DecodedImage(int width, int height, byte[] rgb, byte[] alpha, ResizeMode resizeMode) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.alpha = alpha;
        this.resizeMode = resizeMode;
    }

    /**
     * An image from interleaved RGB pixels, which are copied.
     *
     * @throws IllegalArgumentException if a side is not positive or the array is not {@code width *
     *     height * 3} bytes long
     */
    public static DecodedImage ofRgb(int width, int height, byte[] rgb) {
        Objects.requireNonNull(rgb, "rgb");
        checkSize(width, height, rgb.length, 3);
        return new DecodedImage(width, height, rgb.clone(), null, ResizeMode.BICUBIC);
    }

    /** Takes ownership of {@code rgb} (not copied): for the decoder and preprocessor only. */
    static DecodedImage own(int width, int height, byte[] rgb) {
        checkSize(width, height, rgb.length, 3);
        return new DecodedImage(width, height, rgb, null, ResizeMode.BICUBIC);
    }

    /** Takes ownership of both arrays; {@code alpha} is one byte per pixel. */
    static DecodedImage ownWithAlpha(int width, int height, byte[] rgb, byte[] alpha) {
        checkSize(width, height, rgb.length, 3);
        checkSize(width, height, alpha.length, 1);
        return new DecodedImage(width, height, rgb, alpha, ResizeMode.BICUBIC_PREMULTIPLIED);
    }

    /** Takes ownership of {@code rgb}; the source was a palette or 1-bit image. */
    static DecodedImage ownIndexed(int width, int height, byte[] rgb) {
        checkSize(width, height, rgb.length, 3);
        return new DecodedImage(width, height, rgb, null, ResizeMode.NEAREST);
    }

    private static void checkSize(int width, int height, int length, int channels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "width and height must be positive, found " + width + "x" + height);
        }
        long expected = (long) width * height * channels;
        if (length != expected) {
            throw new IllegalArgumentException(
                    "expected "
                            + width
                            + "*"
                            + height
                            + "*"
                            + channels
                            + " = "
                            + expected
                            + " bytes, found "
                            + length);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A copy of the interleaved RGB pixels. */
    public byte[] pixels() {
        return rgb.clone();
    }

    /** The pixel at (x, y) as 0xRRGGBB. */
    public int rgb(int x, int y) {
        Objects.checkIndex(x, width);
        Objects.checkIndex(y, height);
        int p = (y * width + x) * 3;
        return (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | (rgb[p + 2] & 0xFF);
    }

    /** Whether the source had an alpha channel that is not fully opaque (it is not applied). */
    public boolean hadTransparency() {
        return alpha != null;
    }

    /** The pixels themselves, not copied: callers in this package must not modify them. */
    byte[] rgbShared() {
        return rgb;
    }

    /** The alpha plane, or null; not copied. */
    byte[] alphaShared() {
        return alpha;
    }

    ResizeMode resizeMode() {
        return resizeMode;
    }

    @Override
    public String toString() {
        return "DecodedImage{" + width + "x" + height + ", resize " + resizeMode + "}";
    }
}
