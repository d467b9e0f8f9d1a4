package io.inctrlstream.launcher.eval;

import java.util.Objects;

/**
 * The thresholds suggested from each run's shots alone (leave-one-out: each shot scored against the
 * bank of the others, so K >= 2) and the false-alarm and miss rates they give on the category's
 * test images, over the runs.
 */
public record ThresholdResult(
        String category,
        int shots,
        RunSummary threshold,
        RunSummary falseAlarmRate,
        RunSummary missRate) {
    public ThresholdResult {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(falseAlarmRate, "falseAlarmRate");
        Objects.requireNonNull(missRate, "missRate");
    }
}
