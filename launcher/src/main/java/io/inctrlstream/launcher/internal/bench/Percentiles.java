package io.inctrlstream.launcher.internal.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of measured values (latencies). */
public final class Percentiles {
    private Percentiles() {}

    /**
     * The p-th percentile by nearest rank: the smallest value such that at least p percent of the
     * values are at or below it (for n values, the value of rank ceil(p / 100 * n) in ascending
     * order). The array is not modified.
     *
     * @throws IllegalArgumentException if there are no values or p is outside (0, 100]
     */
    public static double of(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("expected at least one value, found none");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("expected a percentile in (0, 100], found " + p);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }
}
