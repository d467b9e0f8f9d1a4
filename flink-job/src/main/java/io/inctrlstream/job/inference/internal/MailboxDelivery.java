package io.inctrlstream.job.inference.internal;

import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.util.function.ThrowingRunnable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands backend answers (from any thread) to the task thread through the mailbox. */
final class MailboxDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxDelivery.class);

    private MailboxDelivery() {}

    static void deliver(
            MailboxExecutor mailbox, ThrowingRunnable<? extends Exception> action, String what) {
        try {
            mailbox.execute(action, what);
        } catch (RejectedExecutionException closed) {
            // The task is shutting down: the input is still in the last checkpoint's pending
            // state and is re-run after recovery, so dropping this answer loses nothing.
            LOG.debug("Dropped a {} because the mailbox is closed.", what, closed);
        }
    }
}
