package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.AlertPolicy;

/**
 * A line's small settings, kept in one keyed value so that scoring a frame reads one small value
 * (the large bank lives in its own value). Serialized by {@link LineSettingsSerializer}.
 *
 * @param threshold the anomaly threshold
 * @param category the product category, or null for the backend's default
 * @param alertPolicy the alert policy, or null for the job's default
 * @param shotsVersion increments on every bank change; 0 before the first
 * @param shotCount shots in the bank; 0 means no bank
 */
public record LineSettings(
        double threshold,
        String category,
        AlertPolicy alertPolicy,
        long shotsVersion,
        int shotCount) {

    /** A line that never received a command. */
    static LineSettings initial(double defaultThreshold) {
        return new LineSettings(defaultThreshold, null, null, 0L, 0);
    }

    boolean hasBank() {
        return shotCount > 0;
    }

    LineSettings withThreshold(double newThreshold) {
        return new LineSettings(newThreshold, category, alertPolicy, shotsVersion, shotCount);
    }

    LineSettings withCategory(String newCategory) {
        return new LineSettings(threshold, newCategory, alertPolicy, shotsVersion, shotCount);
    }

    LineSettings withAlertPolicy(AlertPolicy newPolicy) {
        return new LineSettings(threshold, category, newPolicy, shotsVersion, shotCount);
    }

    /** The settings after the bank changed to one of {@code newShotCount} shots (0: cleared). */
    LineSettings withNewBank(int newShotCount) {
        return new LineSettings(threshold, category, alertPolicy, shotsVersion + 1, newShotCount);
    }
}
