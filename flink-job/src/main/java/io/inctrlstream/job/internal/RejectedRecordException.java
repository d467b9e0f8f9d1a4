package io.inctrlstream.job.internal;

import io.inctrlstream.job.io.DeadLetterReason;
import java.util.Objects;

/** An input record the job cannot use: it becomes a dead letter with this reason. */
final class RejectedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    RejectedRecordException(DeadLetterReason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    DeadLetterReason reason() {
        return reason;
    }
}
