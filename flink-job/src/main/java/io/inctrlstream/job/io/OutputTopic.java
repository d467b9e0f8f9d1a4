package io.inctrlstream.job.io;

/** The job's outputs, each written to its own topic (see docs/topics-and-schemas.md). */
public enum OutputTopic {
    /** One {@code AnomalyScore} per frame. */
    SCORES("scores"),
    /** {@code AnomalyAlert}s raised by the lines' alert policies. */
    ALERTS("alerts"),
    /** One {@code ControlEvent} per command. */
    CONTROL_EVENTS("control-events"),
    /** {@code DeadLetter}s: input records the job could not use. */
    DEAD_LETTERS("dead-letters"),
    /**
     * {@code LineState}s: each line's whole applied state after every command that changed it, on a
     * compacted topic keyed by line; a job started without a checkpoint restores its lines from it.
     */
    LINE_STATE("line-state");

    private final String id;

    OutputTopic(String id) {
        this.id = id;
    }

    /** A short stable name, used in operator names and uids (not the Kafka topic name). */
    public String id() {
        return id;
    }
}
