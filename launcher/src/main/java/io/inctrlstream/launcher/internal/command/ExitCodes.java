package io.inctrlstream.launcher.internal.command;

/** The launcher's exit codes. */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;

    /** Something failed (Kafka unreachable, a bad file, the job failed); the message says what. */
    public static final int FAILED = 1;

    /** Bad arguments; the usage is printed. */
    public static final int USAGE = 2;

    /** The job rejected the command; the reason is printed. */
    public static final int REJECTED = 3;

    /** No answer in time. */
    public static final int TIMEOUT = 4;

    /**
     * The run did not account for every frame: the job failed, or restarted without restoring a
     * checkpoint, or frames sent were never scored (the demo's and {@code run --local}'s summary
     * says which).
     */
    public static final int INCOMPLETE = 5;

    /**
     * Kafka is not ready for the job (start-up check): brokers unreachable, credentials refused, or
     * topics missing; one line names which.
     */
    public static final int KAFKA_NOT_READY = 6;

    private ExitCodes() {}
}
