package io.inctrlstream.job.kafka.internal;

import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.kafka.clients.admin.TransactionDescription;

/**
 * What became of a transaction that a restored checkpoint holds for commit, from what its
 * transaction coordinator reports now. A commit or an abort may have bumped the producer's epoch by
 * one (transactions version 2 bump it at the end of every transaction, version 1 when the
 * coordinator aborts a transaction that timed out); anything else means that the transactional id
 * has been used again since, so the state no longer tells about this transaction.
 */
enum TransactionFate {
    /** Still open under the committable's producer and epoch: it must be committed now. */
    OPEN,
    /** Committed, or decided to be committed, before the failure: nothing is left to do. */
    COMMITTED,
    /** Aborted before it could be committed: its records are lost to read-committed consumers. */
    ABORTED,
    /** The coordinator's state does not tell (no answer, another producer, a later epoch). */
    UNKNOWN;

    static TransactionFate of(KafkaCommittable committable, TransactionDescription state) {
        if (state == null || state.producerId() != committable.getProducerId()) {
            return UNKNOWN;
        }
        int epochsSince = state.producerEpoch() - committable.getEpoch();
        boolean endedThisTransaction = epochsSince == 0 || epochsSince == 1;
        switch (state.state()) {
            case ONGOING:
                return epochsSince == 0 ? OPEN : UNKNOWN;
            case PREPARE_COMMIT:
            case COMPLETE_COMMIT:
                return endedThisTransaction ? COMMITTED : UNKNOWN;
            case PREPARE_ABORT:
            case COMPLETE_ABORT:
                return endedThisTransaction ? ABORTED : UNKNOWN;
            default:
                return UNKNOWN;
        }
    }
}
