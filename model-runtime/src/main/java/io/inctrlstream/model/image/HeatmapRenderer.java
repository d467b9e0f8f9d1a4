package io.inctrlstream.model.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Renders a patch anomaly map over the model's input crop as a PNG, for people looking at an alert:
 * the grid x grid map is upsampled bilinearly to the crop's size (pixel centres aligned, edges
 * clamped, like {@code F.interpolate(mode="bilinear", align_corners=False)}), scaled to [0, 1] by a
 * fixed range or the map's own min and max, colour-mapped and alpha-blended over the crop. No
 * legend is drawn: the image keeps the crop's size so that it lines up with it.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class HeatmapRenderer {

    /** Colour maps from low (0) to high (1) anomaly. */
    public enum Colormap {
        /** Blue, cyan, yellow, red: the usual "jet" of anomaly maps. */
        JET,
        /** Black to white. */
        GRAY
    }

    private final double alpha;
    private final Colormap colormap;
    private final Double min;
    private final Double max;

    private HeatmapRenderer(Builder builder) {
        this.alpha = builder.alpha;
        this.colormap = builder.colormap;
        this.min = builder.min;
        this.max = builder.max;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The PNG of {@code patchMap} (row-major, {@code grid * grid} values) over {@code crop}.
     *
     * @throws IllegalArgumentException if the map's length is not {@code grid * grid}, the grid is
     *     not positive or a value is NaN or infinite
     */
    public byte[] renderPng(DecodedImage crop, float[] patchMap, int grid) {
        Objects.requireNonNull(crop, "crop");
        Objects.requireNonNull(patchMap, "patchMap");
        if (grid <= 0) {
            throw new IllegalArgumentException("grid must be positive, found " + grid);
        }
        if (patchMap.length != grid * grid) {
            throw new IllegalArgumentException(
                    "patch map must have grid*grid = "
                            + grid * grid
                            + " values, found "
                            + patchMap.length);
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < patchMap.length; i++) {
            float v = patchMap[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(
                        "patch map value " + i + " must be finite, found " + v);
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double low = min != null ? min : lo;
        double high = max != null ? max : hi;
        return encodePng(blend(crop, patchMap, grid, low, high));
    }

    private BufferedImage blend(DecodedImage crop, float[] map, int grid, double low, double high) {
        int width = crop.width();
        int height = crop.height();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] rgb = crop.rgbShared();
        double range = high - low;
        int[] colour = new int[3];
        for (int y = 0; y < height; y++) {
            double sy = clamp((y + 0.5) * grid / height - 0.5, 0, grid - 1);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, grid - 1);
            double fy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = clamp((x + 0.5) * grid / width - 0.5, 0, grid - 1);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, grid - 1);
                double fx = sx - x0;
                double top = map[y0 * grid + x0] * (1 - fx) + map[y0 * grid + x1] * fx;
                double bottom = map[y1 * grid + x0] * (1 - fx) + map[y1 * grid + x1] * fx;
                double value = top * (1 - fy) + bottom * fy;
                double t = range > 0 ? clamp((value - low) / range, 0, 1) : 0;
                colour(t, colour);
                int p = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    double mixed = (1 - alpha) * (rgb[p + c] & 0xFF) + alpha * colour[c];
                    bgr[p + 2 - c] = (byte) Math.round(mixed);
                }
            }
        }
        return out;
    }

    private void colour(double t, int[] rgb) {
        if (colormap == Colormap.GRAY) {
            int v = (int) Math.round(255 * t);
            rgb[0] = v;
            rgb[1] = v;
            rgb[2] = v;
            return;
        }
        rgb[0] = (int) Math.round(255 * clamp(1.5 - Math.abs(4 * t - 3), 0, 1));
        rgb[1] = (int) Math.round(255 * clamp(1.5 - Math.abs(4 * t - 2), 0, 1));
        rgb[2] = (int) Math.round(255 * clamp(1.5 - Math.abs(4 * t - 1), 0, 1));
    }

    private static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    private static byte[] encodePng(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO PNG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.write(null, new IIOImage(image, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding into memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Builder of {@link HeatmapRenderer}: alpha 0.5, JET and the map's own range by default. */
    public static final class Builder {
        private double alpha = 0.5;
        private Colormap colormap = Colormap.JET;
        private Double min;
        private Double max;

        private Builder() {}

        /** Weight of the colour map over the image, in [0, 1]. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder colormap(Colormap colormap) {
            this.colormap = colormap;
            return this;
        }

        /**
         * Fixed value range mapped to the colour map's ends (for maps comparable across frames,
         * e.g. 0 and 1 for InCTRL's residual map); without it each map uses its own min and max.
         */
        public Builder range(double min, double max) {
            this.min = min;
            this.max = max;
            return this;
        }

        /**
         * @throws IllegalArgumentException if alpha is not in [0, 1], the colour map is null or the
         *     range is not finite with min < max
         */
        public HeatmapRenderer build() {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must be in [0, 1], found " + alpha);
            }
            if (colormap == null) {
                throw new IllegalArgumentException("colormap must be set, found null");
            }
            if (min != null && (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max))) {
                throw new IllegalArgumentException(
                        "range must be finite with min < max, found [" + min + ", " + max + "]");
            }
            return new HeatmapRenderer(this);
        }
    }
}
