package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * The backend's answer for one request of a batch: scores, or a failure of that frame alone that
 * retrying cannot fix (for example an image that does not decode). A failure of the whole batch is
 * reported by failing the batch's future instead.
 *
 * @param values the scores, or null when failed
 * @param failureReason why this frame failed, or null when scored
 */
public record FrameScoreResult(ScoreValues values, String failureReason) {
    public FrameScoreResult {
        if ((values == null) == (failureReason == null)) {
            throw new IllegalArgumentException(
                    "a frame result holds exactly one of scores and a failure reason, found "
                            + (values == null ? "neither" : "both"));
        }
    }

    /** A scored frame. */
    public static FrameScoreResult scored(ScoreValues values) {
        return new FrameScoreResult(Objects.requireNonNull(values, "values"), null);
    }

    /** A frame that cannot be scored, with the reason. */
    public static FrameScoreResult failed(String reason) {
        return new FrameScoreResult(null, Objects.requireNonNull(reason, "reason"));
    }

    /** Whether the frame was scored. */
    public boolean isScored() {
        return values != null;
    }
}
