package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.AlertPolicy;
import java.util.Arrays;

/**
 * A line's alerting state (keyed state of the alert stage): whether each of its most recent scored
 * frames was anomalous, oldest first, at most the policy's window; and when it last alerted. A
 * record kept with {@link AlertStateSerializer}; small (one byte per frame of the window) so that
 * RocksDB rewrites it cheaply on every frame.
 *
 * @param recent 1 for an anomalous frame, 0 for a normal one, oldest first
 * @param alerted whether the line ever alerted
 * @param lastAlertCaptureMillis the capture time of the frame of the last alert
 */
public record AlertState(byte[] recent, boolean alerted, long lastAlertCaptureMillis) {
    /** A line that has not scored a frame yet. */
    public static AlertState initial() {
        return new AlertState(new byte[0], false, 0L);
    }

    /**
     * What one more scored frame makes of this state under {@code policy}: the new state, and
     * whether the frame raises an alert. It does when it is anomalous itself, at least k of the
     * last n scored frames (it included) are anomalous, and the line has not alerted for a frame
     * captured less than the cooldown before it.
     */
    public Step next(boolean anomalous, long captureMillis, AlertPolicy policy) {
        int window = policy.windowFrames();
        int keep = Math.min(recent.length, window - 1);
        byte[] updated = Arrays.copyOfRange(recent, recent.length - keep, recent.length + 1);
        updated[keep] = (byte) (anomalous ? 1 : 0);
        int anomalousCount = 0;
        for (byte flag : updated) {
            anomalousCount += flag;
        }
        boolean cooledDown =
                !alerted || captureMillis - lastAlertCaptureMillis >= policy.cooldownMillis();
        boolean fire = anomalous && anomalousCount >= policy.anomalousFrames() && cooledDown;
        AlertState state =
                fire
                        ? new AlertState(updated, true, captureMillis)
                        : new AlertState(updated, alerted, lastAlertCaptureMillis);
        return new Step(state, fire);
    }

    /** The policy in words, as alerts report it: {@code "3 of last 5, cooldown 10000 ms"}. */
    public static String describe(AlertPolicy policy) {
        return policy.anomalousFrames()
                + " of last "
                + policy.windowFrames()
                + ", cooldown "
                + policy.cooldownMillis()
                + " ms";
    }

    /**
     * The outcome of {@link #next}.
     *
     * @param state the line's new state
     * @param fire whether the frame raises an alert
     */
    public record Step(AlertState state, boolean fire) {}
}
