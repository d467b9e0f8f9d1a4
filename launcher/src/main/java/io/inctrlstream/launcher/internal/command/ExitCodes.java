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

    private ExitCodes() {}
}
