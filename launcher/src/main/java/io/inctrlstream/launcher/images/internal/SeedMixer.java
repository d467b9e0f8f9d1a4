package io.inctrlstream.launcher.images.internal;

/** Derives independent random seeds from a base seed and indices (SplitMix64 finalizer). */
public final class SeedMixer {
    private SeedMixer() {}

    /** A well-mixed seed for (seed, a, b): different inputs give unrelated streams. */
    public static long mix(long seed, long a, long b) {
        return finish(finish(finish(seed) ^ a) + b);
    }

    private static long finish(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
