package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * The backend's answer for one request of a batch: scores, or a failure of that frame alone that
 * retrying cannot fix, so it is never retried. A failure of the whole batch is reported by failing
 * the batch's future instead.
 *
 * <p>A frame whose image does not decode is failed with {@link #imageFailed}: besides its FAILED
 * score, the job then writes a dead letter of its record (the record is bad in itself). Any other
 * frame failure ({@link #failed}) is a FAILED score only.
 *
 * @param values the scores, or null when failed
 * @param failureReason why this frame failed, or null when scored
 * @param imageFailure why the frame's image did not decode, or null (scored, or failed otherwise)
 */
public record FrameScoreResult(
        ScoreValues values, String failureReason, ImageFailure imageFailure) {
    public FrameScoreResult {
        if ((values == null) == (failureReason == null)) {
            throw new IllegalArgumentException(
                    "a frame result holds exactly one of scores and a failure reason, found "
                            + (values == null ? "neither" : "both"));
        }
        if (imageFailure != null && failureReason == null) {
            throw new IllegalArgumentException(
                    "an image failure needs a failure reason, found scores with " + imageFailure);
        }
    }

    /** A scored frame. */
    public static FrameScoreResult scored(ScoreValues values) {
        return new FrameScoreResult(Objects.requireNonNull(values, "values"), null, null);
    }

    /** A frame that cannot be scored, with the reason. */
    public static FrameScoreResult failed(String reason) {
        return new FrameScoreResult(null, Objects.requireNonNull(reason, "reason"), null);
    }

    /** A frame whose image does not decode, with the kind of failure and the reason. */
    public static FrameScoreResult imageFailed(ImageFailure failure, String reason) {
        return new FrameScoreResult(
                null,
                Objects.requireNonNull(reason, "reason"),
                Objects.requireNonNull(failure, "failure"));
    }

    /** Whether the frame was scored. */
    public boolean isScored() {
        return values != null;
    }
}
