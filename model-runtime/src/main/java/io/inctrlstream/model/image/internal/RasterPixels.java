package io.inctrlstream.model.image.internal;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Reads the samples of an image decoded by ImageIO as interleaved 8-bit RGB (plus the alpha plane
 * if there is one), the way Pillow converts the file's own values: no colour management (the raw
 * samples are read from the raster, never through {@code getRGB}, which would apply the Java colour
 * space's conversion, e.g. a gamma for grayscale), 16-bit samples keep their high byte, 1/2/4-bit
 * grayscale levels are scaled to 0..255, palette indices are looked up.
 */
public final class RasterPixels {

    /** RGB pixels ({@code width * height * 3}) and the alpha plane or null. */
    public record Pixels(byte[] rgb, byte[] alpha) {}

    private RasterPixels() {}

    /**
     * Converts {@code image}.
     *
     * @param keepAlpha whether to return the alpha plane (when the image has one and it is not
     *     fully opaque)
     * @throws IllegalArgumentException if the colour model is neither gray, RGB nor indexed
     */
    public static Pixels read(BufferedImage image, boolean keepAlpha) {
        int width = image.getWidth();
        int height = image.getHeight();
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        if (model instanceof IndexColorModel indexed) {
            readIndexed(raster, indexed, rgb);
            return new Pixels(rgb, null);
        }
        int colourBands;
        switch (model.getColorSpace().getType()) {
            case ColorSpace.TYPE_GRAY -> colourBands = 1;
            case ColorSpace.TYPE_RGB -> colourBands = 3;
            default ->
                    throw new IllegalArgumentException(
                            "colour space "
                                    + (model.getColorSpace().getType() == ColorSpace.TYPE_CMYK
                                            ? "CMYK"
                                            : "type " + model.getColorSpace().getType())
                                    + " with "
                                    + model.getNumComponents()
                                    + " components is neither gray nor RGB");
        }
        boolean hasAlpha = model.hasAlpha() && raster.getNumBands() > colourBands;
        byte[] alpha = hasAlpha && keepAlpha ? new byte[width * height] : null;
        if (!readInterleavedBytes(raster, colourBands, rgb, alpha)) {
            readGeneric(raster, colourBands, rgb, alpha);
        }
        return new Pixels(rgb, alpha == null || isOpaque(alpha) ? null : alpha);
    }

    private static boolean isOpaque(byte[] alpha) {
        for (byte a : alpha) {
            if (a != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** The fast path: 8-bit samples stored one per byte (what JPEG and 8-bit PNG give). */
    private static boolean readInterleavedBytes(
            Raster raster, int colourBands, byte[] rgb, byte[] alpha) {
        SampleModel sampleModel = raster.getSampleModel();
        if (!(sampleModel instanceof ComponentSampleModel component)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1
                || raster.getMinX() != 0
                || raster.getMinY() != 0
                || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0) {
            return false;
        }
        for (int b = 0; b < raster.getNumBands(); b++) {
            if (component.getSampleSize(b) != 8) {
                return false;
            }
        }
        byte[] data = buffer.getData();
        int base = buffer.getOffset();
        int pixelStride = component.getPixelStride();
        int scanline = component.getScanlineStride();
        int[] offsets = component.getBandOffsets();
        int width = raster.getWidth();
        int height = raster.getHeight();
        int r = offsets[0];
        int g = colourBands == 3 ? offsets[1] : offsets[0];
        int bl = colourBands == 3 ? offsets[2] : offsets[0];
        int a = alpha != null ? offsets[colourBands] : 0;
        int o = 0;
        int q = 0;
        for (int y = 0; y < height; y++) {
            int p = base + y * scanline;
            for (int x = 0; x < width; x++, p += pixelStride) {
                rgb[o++] = data[p + r];
                rgb[o++] = data[p + g];
                rgb[o++] = data[p + bl];
                if (alpha != null) {
                    alpha[q++] = data[p + a];
                }
            }
        }
        return true;
    }

    private static void readGeneric(Raster raster, int colourBands, byte[] rgb, byte[] alpha) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int[] bits = raster.getSampleModel().getSampleSize();
        int[] row = new int[width * bands];
        int o = 0;
        int q = 0;
        for (int y = 0; y < height; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0, p = 0; x < width; x++, p += bands) {
                int red = to8Bits(row[p], bits[0]);
                if (colourBands == 3) {
                    rgb[o++] = (byte) red;
                    rgb[o++] = (byte) to8Bits(row[p + 1], bits[1]);
                    rgb[o++] = (byte) to8Bits(row[p + 2], bits[2]);
                } else {
                    rgb[o++] = (byte) red;
                    rgb[o++] = (byte) red;
                    rgb[o++] = (byte) red;
                }
                if (alpha != null) {
                    alpha[q++] = (byte) to8Bits(row[p + colourBands], bits[colourBands]);
                }
            }
        }
    }

    private static void readIndexed(Raster raster, IndexColorModel model, byte[] rgb) {
        int[] palette = new int[model.getMapSize()];
        model.getRGBs(palette);
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] row = new int[width];
        int o = 0;
        for (int y = 0; y < height; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                int index = row[x];
                int argb = index < palette.length ? palette[index] : 0;
                rgb[o++] = (byte) (argb >> 16);
                rgb[o++] = (byte) (argb >> 8);
                rgb[o++] = (byte) argb;
            }
        }
    }

    /** Pillow's unpacking of a sample of {@code bits} bits to 8 bits. */
    private static int to8Bits(int sample, int bits) {
        return switch (bits) {
            case 8 -> sample;
            case 16 -> sample >>> 8;
            case 1 -> sample != 0 ? 255 : 0;
            case 2 -> sample * 0x55;
            case 4 -> sample * 0x11;
            default -> throw new IllegalArgumentException(bits + "-bit samples are not supported");
        };
    }
}
