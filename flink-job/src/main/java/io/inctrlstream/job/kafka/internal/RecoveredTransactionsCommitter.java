package io.inctrlstream.job.kafka.internal;

import io.inctrlstream.job.InspectionJobOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committer of a restored exactly-once sink. The transactions of the restored checkpoint may
 * have been committed before the failure; the connector's committer commits them again, which Kafka
 * 4 (transactions version 2, where every commit bumps the producer's epoch) refuses as "fenced",
 * and the connector then logs an error that "most likely signals data loss" and counts a failed
 * committable although nothing was lost. This committer first asks the transaction coordinator what
 * became of each restored transaction: one already committed is reported as such and not committed
 * again; one that Kafka aborted (a recovery longer than the transaction timeout) is reported as
 * lost, with its checkpoint and topic; an open one, or one whose state is not known, goes to the
 * connector's committer as before.
 *
 * <p>A committable belongs to the restored checkpoint when its transactional id (the connector's
 * {@code prefix-subtask-checkpoint}) names a checkpoint at or before it. An id of another form (a
 * connector that names its transactions otherwise) goes to the connector's committer unchecked,
 * with one warning: checking every later commit would cost a request per checkpoint on the task
 * thread. A restored transaction's producer belongs to the failed attempt, so no producer of this
 * attempt's pool waits for its outcome.
 */
public final class RecoveredTransactionsCommitter implements Committer<KafkaCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveredTransactionsCommitter.class);

    private final Committer<KafkaCommittable> delegate;
    private final TransactionStates states;
    private final String transactionalIdPrefix;
    private final long restoredCheckpointId;
    private final String topic;
    private final Duration transactionTimeout;
    private boolean warnedOfUnknownIdForm;

    RecoveredTransactionsCommitter(
            Committer<KafkaCommittable> delegate,
            TransactionStates states,
            String transactionalIdPrefix,
            long restoredCheckpointId,
            String topic,
            Duration transactionTimeout) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.states = Objects.requireNonNull(states, "states");
        this.transactionalIdPrefix = Objects.requireNonNull(transactionalIdPrefix, "prefix");
        this.restoredCheckpointId = restoredCheckpointId;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.transactionTimeout = Objects.requireNonNull(transactionTimeout, "timeout");
    }

    @Override
    public void commit(Collection<CommitRequest<KafkaCommittable>> requests)
            throws IOException, InterruptedException {
        List<CommitRequest<KafkaCommittable>> toCommit = new ArrayList<>(requests.size());
        List<CommitRequest<KafkaCommittable>> restored = new ArrayList<>();
        for (CommitRequest<KafkaCommittable> request : requests) {
            (isRestored(request.getCommittable()) ? restored : toCommit).add(request);
        }
        if (!restored.isEmpty()) {
            Set<String> ids = new LinkedHashSet<>();
            restored.forEach(request -> ids.add(request.getCommittable().getTransactionalId()));
            Map<String, TransactionDescription> found = states.describe(ids);
            for (CommitRequest<KafkaCommittable> request : restored) {
                KafkaCommittable committable = request.getCommittable();
                TransactionDescription state = found.get(committable.getTransactionalId());
                switch (TransactionFate.of(committable, state)) {
                    case COMMITTED:
                        LOG.info(
                                "Kafka transaction {} of topic {} was committed before the"
                                        + " restart ({}); it is not committed again",
                                committable.getTransactionalId(),
                                topic,
                                state);
                        request.signalAlreadyCommitted();
                        break;
                    case ABORTED:
                        String loss = lossMessage(committable, state);
                        LOG.error(loss);
                        request.signalFailedWithKnownReason(new IllegalStateException(loss));
                        break;
                    default:
                        toCommit.add(request);
                }
            }
        }
        if (!toCommit.isEmpty()) {
            delegate.commit(toCommit);
        }
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    private boolean isRestored(KafkaCommittable committable) {
        OptionalLong checkpoint =
                checkpointOf(committable.getTransactionalId(), transactionalIdPrefix);
        if (checkpoint.isEmpty()) {
            if (!warnedOfUnknownIdForm) {
                warnedOfUnknownIdForm = true;
                LOG.warn(
                        "Kafka transaction {} of topic {} has no id of the form {}-<subtask>-"
                                + "<checkpoint>: restored transactions are committed without"
                                + " checking what became of them",
                        committable.getTransactionalId(),
                        topic,
                        transactionalIdPrefix);
            }
            return false;
        }
        return checkpoint.getAsLong() <= restoredCheckpointId;
    }

    /** The checkpoint in a transactional id {@code prefix-subtask-checkpoint}, if it has one. */
    static OptionalLong checkpointOf(String transactionalId, String prefix) {
        String start = prefix + "-";
        if (!transactionalId.startsWith(start)) {
            return OptionalLong.empty();
        }
        String rest = transactionalId.substring(start.length());
        int dash = rest.indexOf('-');
        if (dash < 1 || dash == rest.length() - 1) {
            return OptionalLong.empty();
        }
        try {
            Integer.parseInt(rest.substring(0, dash));
            return OptionalLong.of(Long.parseLong(rest.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private String lossMessage(KafkaCommittable committable, TransactionDescription state) {
        return "Kafka aborted transaction "
                + committable.getTransactionalId()
                + " of topic "
                + topic
                + " (producer id "
                + committable.getProducerId()
                + ", epoch "
                + committable.getEpoch()
                + ") before the restored job could commit it; the coordinator reports "
                + state.state()
                + " at epoch "
                + state.producerEpoch()
                + ". Its records are lost to read-committed consumers. The usual cause is a"
                + " recovery that took longer than the transaction timeout ("
                + transactionTimeout
                + ", "
                + InspectionJobOptions.TRANSACTION_TIMEOUT.key()
                + ").";
    }
}
