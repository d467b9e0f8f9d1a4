package io.inctrlstream.model.image;

import io.inctrlstream.model.image.internal.CropGeometry;
import io.inctrlstream.model.image.internal.PillowResize;
import java.util.Objects;

/**
 * Turns a decoded frame into the model's input tensor exactly as the reference pipeline does
 * (torchvision {@code Resize(size, BICUBIC)}, {@code CenterCrop(size)}, {@code convert("RGB")},
 * {@code ToTensor()}, {@code Normalize(mean, std)} on a Pillow image).
 *
 * <p>The resize is bit-for-bit Pillow's {@code Image.resize(size, BICUBIC)} on uint8 (antialiased
 * when shrinking, fixed-point, horizontal pass first); for images whose source had a non-opaque
 * alpha channel it is done on premultiplied values as Pillow does for RGBA/LA, and palette or 1-bit
 * sources are resized nearest-neighbour as Pillow does for modes P and 1. Only the centre crop is
 * computed. Normalization is float32 {@code ((v / 255f) - mean) / std}, per channel, in that order
 * (as torch computes it), output in CHW order.
 *
 * <p>Thread-safe. Resize coefficients are cached per (source size, output size), and each thread
 * reuses its own scratch buffers, so {@link #preprocessInto} allocates almost nothing per frame.
 */
public final class ImagePreprocessor {
    /** Scratch arrays larger than this are not kept between calls (rare, huge frames). */
    private static final int MAX_KEPT_SCRATCH = 8 << 20;

    private final PreprocessSpec spec;
    private final int size;
    private final float[] normalization;
    private final ThreadLocal<Scratch> scratch;

    public ImagePreprocessor(PreprocessSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.size = spec.imageSize();
        this.normalization = normalizationTable(spec);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(size));
    }

    public PreprocessSpec spec() {
        return spec;
    }

    /** Number of floats one image fills: 3 * size * size. */
    public int tensorLength() {
        return spec.tensorLength();
    }

    /** The normalized CHW float32 tensor [3, size, size] of {@code image}. */
    public float[] preprocess(DecodedImage image) {
        float[] tensor = new float[tensorLength()];
        preprocessInto(image, tensor, 0);
        return tensor;
    }

    /**
     * Writes the normalized CHW tensor of {@code image} into {@code dst} from {@code offset} (for
     * instance one slot of a batch buffer).
     *
     * @throws IllegalArgumentException if {@code dst} has no room for {@link #tensorLength()}
     *     floats from {@code offset}
     */
    public void preprocessInto(DecodedImage image, float[] dst, int offset) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(dst, "dst");
        int length = tensorLength();
        if (offset < 0 || offset > dst.length - length) {
            throw new IllegalArgumentException(
                    "dst needs "
                            + length
                            + " floats from offset "
                            + offset
                            + ", its length is "
                            + dst.length);
        }
        Scratch buffers = scratch.get();
        byte[] crop = buffers.crop;
        cropInto(image, crop, buffers);
        int plane = size * size;
        float[] table = normalization;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            dst[offset + i] = table[crop[p] & 0xFF];
            dst[offset + plane + i] = table[256 + (crop[p + 1] & 0xFF)];
            dst[offset + 2 * plane + i] = table[512 + (crop[p + 2] & 0xFF)];
        }
    }

    /** The size x size uint8 RGB image the model sees (resized and centre-cropped). */
    public DecodedImage cropToModelInput(DecodedImage image) {
        Objects.requireNonNull(image, "image");
        byte[] crop = new byte[size * size * 3];
        cropInto(image, crop, scratch.get());
        return DecodedImage.own(size, size, crop);
    }

    private void cropInto(DecodedImage image, byte[] crop, Scratch buffers) {
        int width = image.width();
        int height = image.height();
        CropGeometry g = CropGeometry.of(width, height, size);
        int outW = g.resizedWidth();
        int outH = g.resizedHeight();
        switch (image.resizeMode()) {
            case BICUBIC -> {
                byte[] mid =
                        buffers.mid(
                                PillowResize.scratchSize(
                                        width, height, 3, outW, outH, g.top(), size, size));
                PillowResize.bicubicWindow(
                        image.rgbShared(),
                        width,
                        height,
                        3,
                        outW,
                        outH,
                        g.left(),
                        g.top(),
                        size,
                        size,
                        crop,
                        mid);
            }
            case NEAREST ->
                    PillowResize.nearestWindow(
                            image.rgbShared(),
                            width,
                            height,
                            3,
                            outW,
                            outH,
                            g.left(),
                            g.top(),
                            size,
                            size,
                            crop);
            case BICUBIC_PREMULTIPLIED -> {
                byte[] premultiplied = premultiply(image.rgbShared(), image.alphaShared());
                byte[] window = new byte[size * size * 4];
                PillowResize.bicubicWindow(
                        premultiplied,
                        width,
                        height,
                        4,
                        outW,
                        outH,
                        g.left(),
                        g.top(),
                        size,
                        size,
                        window,
                        null);
                unpremultiplyToRgb(window, crop);
            }
        }
    }

    /** Pillow's RGBA to RGBa conversion: v * a / 255, rounded as its MULDIV255 does. */
    private static byte[] premultiply(byte[] rgb, byte[] alpha) {
        byte[] out = new byte[alpha.length * 4];
        for (int i = 0, p = 0, o = 0; i < alpha.length; i++, p += 3, o += 4) {
            int a = alpha[i] & 0xFF;
            out[o] = (byte) mulDiv255(rgb[p] & 0xFF, a);
            out[o + 1] = (byte) mulDiv255(rgb[p + 1] & 0xFF, a);
            out[o + 2] = (byte) mulDiv255(rgb[p + 2] & 0xFF, a);
            out[o + 3] = (byte) a;
        }
        return out;
    }

    private static int mulDiv255(int v, int a) {
        int t = v * a + 128;
        return ((t >> 8) + t) >> 8;
    }

    /** Pillow's RGBa to RGBA conversion (255 * v / a, truncated and clipped), alpha dropped. */
    private static void unpremultiplyToRgb(byte[] rgba, byte[] rgb) {
        for (int p = 0, o = 0; p < rgba.length; p += 4, o += 3) {
            int a = rgba[p + 3] & 0xFF;
            for (int c = 0; c < 3; c++) {
                int v = rgba[p + c] & 0xFF;
                rgb[o + c] = (byte) (a == 255 || a == 0 ? v : Math.min(255, 255 * v / a));
            }
        }
    }

    /** ToTensor + Normalize of every uint8 value, per channel, in float32 as torch does. */
    private static float[] normalizationTable(PreprocessSpec spec) {
        double[] mean = spec.mean();
        double[] std = spec.std();
        float[] table = new float[3 * 256];
        for (int c = 0; c < 3; c++) {
            float m = (float) mean[c];
            float s = (float) std[c];
            for (int v = 0; v < 256; v++) {
                float scaled = (float) v / 255f;
                table[c * 256 + v] = (scaled - m) / s;
            }
        }
        return table;
    }

    /** Per-thread buffers: the crop and the horizontal pass's intermediate rows. */
    private static final class Scratch {
        final byte[] crop;
        private byte[] mid = new byte[0];

        Scratch(int size) {
            this.crop = new byte[size * size * 3];
        }

        byte[] mid(int needed) {
            if (needed > mid.length) {
                if (needed > MAX_KEPT_SCRATCH) {
                    return new byte[needed];
                }
                mid = new byte[needed];
            }
            return mid;
        }
    }
}
