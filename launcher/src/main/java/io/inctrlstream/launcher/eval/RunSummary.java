package io.inctrlstream.launcher.eval;

import java.util.List;
import java.util.Objects;

/**
 * The mean and standard deviation of one metric over runs. The standard deviation is the sample one
 * (divided by n - 1), 0 for a single run.
 */
public record RunSummary(double mean, double std, List<Double> values) {
    public RunSummary {
        values = List.copyOf(Objects.requireNonNull(values, "values"));
    }

    /**
     * The summary of the values.
     *
     * @throws IllegalArgumentException if there are none
     */
    public static RunSummary of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("expected at least one run, found none");
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        double mean = sum / values.size();
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        double std = values.size() == 1 ? 0 : Math.sqrt(squares / (values.size() - 1));
        return new RunSummary(mean, std, values);
    }
}
