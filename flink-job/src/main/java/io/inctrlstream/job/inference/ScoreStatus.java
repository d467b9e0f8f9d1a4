package io.inctrlstream.job.inference;

/** The outcome of scoring one frame. */
public enum ScoreStatus {
    /** Scored against the line's shots: the score fields are set. */
    SCORED,
    /** The line has no shots yet (or they were cleared): nothing to compare with. */
    NO_REFERENCE,
    /** Inference failed (after the allowed retries, or for a reason retrying cannot fix). */
    FAILED
}
