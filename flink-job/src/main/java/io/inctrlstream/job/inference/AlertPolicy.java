package io.inctrlstream.job.inference;

import java.util.Optional;

/**
 * When a line raises alerts: at least {@code anomalousFrames} anomalous frames among its last
 * {@code windowFrames} scored frames, and then not again for {@code cooldownMillis}. The inference
 * operator only stores the policy and attaches it to every score; the alerting stage applies it.
 *
 * @param anomalousFrames k, at least 1
 * @param windowFrames n, at least k
 * @param cooldownMillis quiet time after an alert, not negative
 */
public record AlertPolicy(int anomalousFrames, int windowFrames, long cooldownMillis) {
    /** The largest window the alerting stage has to keep per line. */
    public static final int MAX_WINDOW_FRAMES = 1000;

    /** Why this policy cannot be applied, or empty when it is valid. */
    public Optional<String> problem() {
        if (anomalousFrames < 1) {
            return Optional.of(
                    "alert policy needs at least 1 anomalous frame, found " + anomalousFrames);
        }
        if (windowFrames < anomalousFrames || windowFrames > MAX_WINDOW_FRAMES) {
            return Optional.of(
                    "alert policy window must be between "
                            + anomalousFrames
                            + " (the anomalous frames) and "
                            + MAX_WINDOW_FRAMES
                            + " frames, found "
                            + windowFrames);
        }
        if (cooldownMillis < 0) {
            return Optional.of(
                    "alert policy cooldown must not be negative, found " + cooldownMillis + " ms");
        }
        return Optional.empty();
    }
}
