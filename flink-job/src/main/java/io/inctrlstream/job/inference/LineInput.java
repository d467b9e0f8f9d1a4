package io.inctrlstream.job.inference;

/**
 * The single input of the inference operator: either a frame to score or a command, for one line.
 * Frames and commands share one stream so that the operator sees them in the order the line
 * produced them. Exactly one of the two fields is set.
 *
 * @param frame the frame, or null for a command
 * @param command the command, or null for a frame
 */
public record LineInput(FrameToScore frame, LineCommand command) {
    public LineInput {
        if ((frame == null) == (command == null)) {
            throw new IllegalArgumentException(
                    "a line input holds exactly one of a frame and a command, found "
                            + (frame == null ? "neither" : "both"));
        }
    }

    /** Wraps a frame. */
    public static LineInput of(FrameToScore frame) {
        return new LineInput(frame, null);
    }

    /** Wraps a command. */
    public static LineInput of(LineCommand command) {
        return new LineInput(null, command);
    }

    /** Whether this is a frame (otherwise a command). */
    public boolean isFrame() {
        return frame != null;
    }

    /** The production line, the operator's key. */
    public String lineId() {
        return frame != null ? frame.lineId() : command.lineId();
    }
}
