package io.inctrlstream.job.inference;

/**
 * The single output of the inference operator: a frame's score or a command's outcome. Per line,
 * outputs come in the order of the inputs. Exactly one of the two fields is set.
 *
 * @param score the frame result, or null
 * @param outcome the command outcome, or null
 */
public record LineOutput(FrameScore score, CommandOutcome outcome) {
    public LineOutput {
        if ((score == null) == (outcome == null)) {
            throw new IllegalArgumentException(
                    "a line output holds exactly one of a score and a command outcome, found "
                            + (score == null ? "neither" : "both"));
        }
    }

    /** Wraps a frame result. */
    public static LineOutput of(FrameScore score) {
        return new LineOutput(score, null);
    }

    /** Wraps a command outcome. */
    public static LineOutput of(CommandOutcome outcome) {
        return new LineOutput(null, outcome);
    }

    /** Whether this is a frame result (otherwise a command outcome). */
    public boolean isScore() {
        return score != null;
    }

    /** The production line. */
    public String lineId() {
        return score != null ? score.lineId() : outcome.lineId();
    }
}
