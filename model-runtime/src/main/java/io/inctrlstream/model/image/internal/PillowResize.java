package io.inctrlstream.model.image.internal;

/**
 * Pillow-exact resizing of interleaved uint8 images, computing only a window of the result.
 *
 * <p>{@link #bicubicWindow} gives, bit for bit, the window {@code [x0, x0 + winW) x [y0, y0 +
 * winH)} of Pillow's {@code Image.resize((outW, outH), BICUBIC)} on an 8-bit image: a horizontal
 * pass into a uint8 intermediate (rounded and clipped), then a vertical pass; a pass is skipped
 * when its axis keeps its size. Each output pixel depends only on its own coefficients, so
 * computing only the window (the centre crop) and only the source rows it needs gives the same
 * values as resizing everything and cropping afterwards, for far less work.
 *
 * <p>{@link #nearestWindow} is Pillow's {@code NEAREST} resize, which Pillow uses for palette and
 * 1-bit images whatever filter is asked for.
 *
 * <p>Stateless; buffers come from the caller so that a hot loop can reuse them.
 */
public final class PillowResize {
    private static final int HALF = 1 << (BicubicCoefficients.PRECISION_BITS - 1);

    private PillowResize() {}

    /**
     * Bytes of scratch space {@link #bicubicWindow} needs for these arguments (0 when no horizontal
     * pass is needed).
     */
    public static int scratchSize(
            int width, int height, int channels, int outW, int outH, int y0, int winW, int winH) {
        if (outW == width) {
            return 0;
        }
        int[] rows = sourceRows(height, outH, y0, winH);
        return (rows[1] - rows[0]) * winW * channels;
    }

    /**
     * Writes the window of the bicubic resize of {@code src} into {@code dst} (interleaved, {@code
     * winW * winH * channels} bytes from index 0).
     *
     * @param scratch at least {@link #scratchSize} bytes, or null to allocate when needed
     */
    public static void bicubicWindow(
            byte[] src,
            int width,
            int height,
            int channels,
            int outW,
            int outH,
            int x0,
            int y0,
            int winW,
            int winH,
            byte[] dst,
            byte[] scratch) {
        checkWindow(src, width, height, channels, outW, outH, x0, y0, winW, winH, dst);
        int[] rows = sourceRows(height, outH, y0, winH);
        int rowFirst = rows[0];
        int rowEnd = rows[1];

        // The image the vertical pass reads: row r starts at (r - rowOrigin) * stride + offset.
        byte[] mid;
        int rowOrigin;
        int stride;
        int offset;
        if (outW != width) {
            int needed = (rowEnd - rowFirst) * winW * channels;
            mid = scratch != null && scratch.length >= needed ? scratch : new byte[needed];
            horizontal(
                    src,
                    width,
                    channels,
                    BicubicCoefficients.of(width, outW),
                    x0,
                    winW,
                    rowFirst,
                    rowEnd,
                    mid);
            rowOrigin = rowFirst;
            stride = winW * channels;
            offset = 0;
        } else {
            mid = src;
            rowOrigin = 0;
            stride = width * channels;
            offset = x0 * channels;
        }

        int rowBytes = winW * channels;
        if (outH != height) {
            vertical(
                    mid,
                    rowOrigin,
                    stride,
                    offset,
                    rowBytes,
                    BicubicCoefficients.of(height, outH),
                    y0,
                    winH,
                    dst);
        } else {
            for (int y = 0; y < winH; y++) {
                System.arraycopy(
                        mid, (y0 + y - rowOrigin) * stride + offset, dst, y * rowBytes, rowBytes);
            }
        }
    }

    /** The source rows [first, end) the window's rows read (all of them if no vertical pass). */
    private static int[] sourceRows(int height, int outH, int y0, int winH) {
        if (outH == height) {
            return new int[] {y0, y0 + winH};
        }
        BicubicCoefficients vertical = BicubicCoefficients.of(height, outH);
        int first = Integer.MAX_VALUE;
        int end = 0;
        for (int y = y0; y < y0 + winH; y++) {
            first = Math.min(first, vertical.first(y));
            end = Math.max(end, vertical.first(y) + vertical.count(y));
        }
        return new int[] {first, end};
    }

    private static void horizontal(
            byte[] src,
            int width,
            int channels,
            BicubicCoefficients coefficients,
            int x0,
            int winW,
            int rowFirst,
            int rowEnd,
            byte[] mid) {
        int[] weights = coefficients.weightsArray();
        int srcStride = width * channels;
        int out = 0;
        for (int row = rowFirst; row < rowEnd; row++) {
            int rowStart = row * srcStride;
            for (int x = x0; x < x0 + winW; x++) {
                int taps = coefficients.count(x);
                int k = coefficients.weightOffset(x);
                int p = rowStart + coefficients.first(x) * channels;
                if (channels == 3) {
                    int s0 = HALF;
                    int s1 = HALF;
                    int s2 = HALF;
                    for (int t = 0; t < taps; t++, p += 3) {
                        int w = weights[k + t];
                        s0 += (src[p] & 0xFF) * w;
                        s1 += (src[p + 1] & 0xFF) * w;
                        s2 += (src[p + 2] & 0xFF) * w;
                    }
                    mid[out++] = clip8(s0);
                    mid[out++] = clip8(s1);
                    mid[out++] = clip8(s2);
                } else {
                    for (int c = 0; c < channels; c++) {
                        int s = HALF;
                        for (int t = 0, q = p + c; t < taps; t++, q += channels) {
                            s += (src[q] & 0xFF) * weights[k + t];
                        }
                        mid[out++] = clip8(s);
                    }
                }
            }
        }
    }

    private static void vertical(
            byte[] mid,
            int rowOrigin,
            int stride,
            int offset,
            int rowBytes,
            BicubicCoefficients coefficients,
            int y0,
            int winH,
            byte[] dst) {
        int[] weights = coefficients.weightsArray();
        int[] sums = new int[rowBytes];
        for (int y = 0; y < winH; y++) {
            int outRow = y0 + y;
            java.util.Arrays.fill(sums, HALF);
            int taps = coefficients.count(outRow);
            int k = coefficients.weightOffset(outRow);
            int firstRow = coefficients.first(outRow);
            for (int t = 0; t < taps; t++) {
                int w = weights[k + t];
                int p = (firstRow + t - rowOrigin) * stride + offset;
                for (int i = 0; i < rowBytes; i++) {
                    sums[i] += (mid[p + i] & 0xFF) * w;
                }
            }
            int o = y * rowBytes;
            for (int i = 0; i < rowBytes; i++) {
                dst[o + i] = clip8(sums[i]);
            }
        }
    }

    private static byte clip8(int sum) {
        int v = sum >> BicubicCoefficients.PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /**
     * Writes the window of Pillow's NEAREST resize of {@code src} into {@code dst}. Pillow maps
     * output pixel i to source pixel floor(scale / 2 + i * scale), the position accumulated in
     * double precision one pixel at a time; the same accumulation is done here.
     */
    public static void nearestWindow(
            byte[] src,
            int width,
            int height,
            int channels,
            int outW,
            int outH,
            int x0,
            int y0,
            int winW,
            int winH,
            byte[] dst) {
        checkWindow(src, width, height, channels, outW, outH, x0, y0, winW, winH, dst);
        if (outW == width && outH == height) {
            bicubicWindow(src, width, height, channels, outW, outH, x0, y0, winW, winH, dst, null);
            return;
        }
        int[] columns = nearestIndices(width, outW);
        int[] rows = nearestIndices(height, outH);
        int o = 0;
        for (int y = y0; y < y0 + winH; y++) {
            int rowStart = rows[y] * width * channels;
            for (int x = x0; x < x0 + winW; x++) {
                int p = rowStart + columns[x] * channels;
                for (int c = 0; c < channels; c++) {
                    dst[o++] = src[p + c];
                }
            }
        }
    }

    private static int[] nearestIndices(int inSize, int outSize) {
        int[] indices = new int[outSize];
        double step = (double) inSize / outSize;
        double position = step * 0.5;
        for (int i = 0; i < outSize; i++) {
            indices[i] = Math.min((int) position, inSize - 1);
            position += step;
        }
        return indices;
    }

    private static void checkWindow(
            byte[] src,
            int width,
            int height,
            int channels,
            int outW,
            int outH,
            int x0,
            int y0,
            int winW,
            int winH,
            byte[] dst) {
        if (width <= 0 || height <= 0 || outW <= 0 || outH <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "sizes must be positive, found "
                            + width
                            + "x"
                            + height
                            + "x"
                            + channels
                            + " -> "
                            + outW
                            + "x"
                            + outH);
        }
        if (src.length < (long) width * height * channels) {
            throw new IllegalArgumentException(
                    "source needs "
                            + (long) width * height * channels
                            + " bytes, found "
                            + src.length);
        }
        if (x0 < 0 || y0 < 0 || winW <= 0 || winH <= 0 || x0 + winW > outW || y0 + winH > outH) {
            throw new IllegalArgumentException(
                    "window "
                            + winW
                            + "x"
                            + winH
                            + "+"
                            + x0
                            + "+"
                            + y0
                            + " is not inside "
                            + outW
                            + "x"
                            + outH);
        }
        if (dst.length < winW * winH * channels) {
            throw new IllegalArgumentException(
                    "destination needs " + winW * winH * channels + " bytes, found " + dst.length);
        }
    }
}
