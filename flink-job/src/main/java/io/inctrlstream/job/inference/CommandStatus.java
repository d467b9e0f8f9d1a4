package io.inctrlstream.job.inference;

/** Whether a command changed its line. */
public enum CommandStatus {
    /** The command was applied. */
    APPLIED,
    /** The command was rejected (invalid, or its shots could not be encoded); nothing changed. */
    REJECTED
}
