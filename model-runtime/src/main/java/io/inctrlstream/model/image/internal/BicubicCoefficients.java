package io.inctrlstream.model.image.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-point filter coefficients of one axis of a Pillow {@code BICUBIC} resize, from {@code
 * inSize} source pixels to {@code outSize} destination pixels.
 *
 * <p>Pillow's algorithm (libImaging/Resample.c), reimplemented: the cubic convolution kernel with a
 * = -0.5 and support 2, widened by the downscale factor when shrinking (antialiasing); for each
 * output pixel the taps cover the rounded source interval around its centre, the weights are
 * normalized to sum 1 in double precision and then converted to fixed point with {@link
 * #PRECISION_BITS} fraction bits, rounding half away from zero. Every double operation is done in
 * the same order as Pillow's so that the integers are the same.
 *
 * <p>Instances are immutable and shared through a small cache, because a stream of frames of one
 * camera needs the same two instances for every frame.
 */
public final class BicubicCoefficients {
    /** 32 bits minus 8 for the pixel value minus 2 for the filter's overshoot (as Pillow). */
    public static final int PRECISION_BITS = 32 - 8 - 2;

    private static final double SUPPORT = 2.0;
    private static final double A = -0.5;
    private static final int CACHE_LIMIT = 256;
    private static final ConcurrentHashMap<Long, BicubicCoefficients> CACHE =
            new ConcurrentHashMap<>();

    private final int taps;
    private final int[] first;
    private final int[] count;
    private final int[] weights;

    private BicubicCoefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        this.taps = (int) Math.ceil(support) * 2 + 1;
        this.first = new int[outSize];
        this.count = new int[outSize];
        this.weights = new int[outSize * taps];
        double[] kernel = new double[taps];
        double inverseFilterScale = 1.0 / filterScale;
        for (int out = 0; out < outSize; out++) {
            double center = (out + 0.5) * scale;
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), inSize);
            int n = hi - lo;
            double sum = 0.0;
            for (int i = 0; i < n; i++) {
                double w = cubic((i + lo - center + 0.5) * inverseFilterScale);
                kernel[i] = w;
                sum += w;
            }
            for (int i = 0; i < n; i++) {
                double normalized = sum != 0.0 ? kernel[i] / sum : kernel[i];
                weights[out * taps + i] = toFixedPoint(normalized);
            }
            first[out] = lo;
            count[out] = n;
        }
    }

    /** The coefficients for resizing an axis of {@code inSize} pixels to {@code outSize}. */
    public static BicubicCoefficients of(int inSize, int outSize) {
        if (inSize <= 0 || outSize <= 0) {
            throw new IllegalArgumentException(
                    "sizes must be positive, found " + inSize + " -> " + outSize);
        }
        long key = ((long) inSize << 32) | outSize;
        BicubicCoefficients cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear(); // many distinct frame sizes: recomputing is cheap, unbounded growth
            // is not
        }
        BicubicCoefficients computed = new BicubicCoefficients(inSize, outSize);
        CACHE.putIfAbsent(key, computed);
        return computed;
    }

    private static double cubic(double x) {
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0.0;
    }

    private static int toFixedPoint(double weight) {
        double scaled = weight * (1 << PRECISION_BITS);
        return (int) (weight < 0 ? scaled - 0.5 : scaled + 0.5);
    }

    /** Index of the first source pixel that output pixel {@code out} reads. */
    public int first(int out) {
        return first[out];
    }

    /** Number of source pixels output pixel {@code out} reads. */
    public int count(int out) {
        return count[out];
    }

    /** Offset of output pixel {@code out}'s first weight in {@link #weightsArray()}. */
    int weightOffset(int out) {
        return out * taps;
    }

    /** The weights, row-major by output pixel; not copied: callers in this package only read. */
    int[] weightsArray() {
        return weights;
    }
}
