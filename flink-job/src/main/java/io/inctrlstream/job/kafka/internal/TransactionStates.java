package io.inctrlstream.job.kafka.internal;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionDescription;

/** Asks the transaction coordinators for the current state of transactional ids. */
@FunctionalInterface
interface TransactionStates {
    /**
     * The state of each id the coordinators answered for; an id without an answer (unknown to the
     * coordinator, or the request failed) is absent.
     */
    Map<String, TransactionDescription> describe(Set<String> transactionalIds)
            throws InterruptedException;
}
