package io.inctrlstream.job.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.kafka.RecordingCommitRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;

class RecoveredTransactionsCommitterTest {
    private static final String PREFIX = "inctrl-scores";
    private static final long RESTORED = 7;

    private final RecordingCommitter connector = new RecordingCommitter();
    private final Map<String, TransactionDescription> coordinator = new HashMap<>();
    private final List<Set<String>> asked = new ArrayList<>();
    private final RecoveredTransactionsCommitter committer =
            new RecoveredTransactionsCommitter(
                    connector,
                    ids -> {
                        asked.add(Set.copyOf(ids));
                        Map<String, TransactionDescription> found = new HashMap<>(coordinator);
                        found.keySet().retainAll(ids);
                        return found;
                    },
                    PREFIX,
                    RESTORED,
                    "line.scores",
                    Duration.ofMinutes(15));

    @Test
    void aRestoredTransactionCommittedBeforeTheFailureIsNotCommittedAgain() throws Exception {
        RecordingCommitRequest request = request("inctrl-scores-0-7", 11, 2);
        coordinator.put("inctrl-scores-0-7", state(TransactionState.COMPLETE_COMMIT, 11, 3));

        committer.commit(List.of(request));

        assertThat(request.alreadyCommitted()).isTrue();
        assertThat(request.failure()).isNull();
        assertThat(connector.committed).isEmpty();
    }

    @Test
    void aRestoredTransactionStillOpenGoesToTheConnectorsCommitter() throws Exception {
        RecordingCommitRequest request = request("inctrl-scores-1-6", 12, 0);
        coordinator.put("inctrl-scores-1-6", state(TransactionState.ONGOING, 12, 0));

        committer.commit(List.of(request));

        assertThat(connector.committed).containsExactly(request);
        assertThat(request.alreadyCommitted()).isFalse();
    }

    @Test
    void aRestoredTransactionKafkaAbortedIsReportedLostWithItsTopicAndTheTimeout()
            throws Exception {
        RecordingCommitRequest request = request("inctrl-scores-0-7", 11, 2);
        coordinator.put("inctrl-scores-0-7", state(TransactionState.COMPLETE_ABORT, 11, 3));

        committer.commit(List.of(request));

        assertThat(connector.committed).isEmpty();
        assertThat(request.failure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "Kafka aborted transaction inctrl-scores-0-7 of topic line.scores"
                                + " (producer id 11, epoch 2) before the restored job could commit"
                                + " it; the coordinator reports CompleteAbort at epoch 3. Its"
                                + " records are lost to read-committed consumers. The usual cause"
                                + " is a recovery that took longer than the transaction timeout"
                                + " (PT15M, inctrl.sink.transaction-timeout).");
    }

    @Test
    void aRestoredTransactionWhoseStateIsNotKnownGoesToTheConnectorsCommitter() throws Exception {
        RecordingCommitRequest request = request("inctrl-scores-0-7", 11, 2);

        committer.commit(List.of(request));

        assertThat(asked).containsExactly(Set.of("inctrl-scores-0-7"));
        assertThat(connector.committed).containsExactly(request);
    }

    @Test
    void transactionsOfLaterCheckpointsAreCommittedWithoutAsking() throws Exception {
        RecordingCommitRequest later = request("inctrl-scores-0-8", 11, 3);
        RecordingCommitRequest restored = request("inctrl-scores-1-7", 12, 0);
        coordinator.put("inctrl-scores-1-7", state(TransactionState.PREPARE_COMMIT, 12, 1));

        committer.commit(List.of(later, restored));

        assertThat(asked).containsExactly(Set.of("inctrl-scores-1-7"));
        assertThat(connector.committed).containsExactly(later);
        assertThat(restored.alreadyCommitted()).isTrue();
    }

    @Test
    void noRequestToTheCoordinatorAndNoEmptyCommitWhenNothingIsRestored() throws Exception {
        committer.commit(List.of());

        assertThat(asked).isEmpty();
        assertThat(connector.calls).isZero();
    }

    @Test
    void anIdOfAnotherFormGoesToTheConnectorsCommitterUnchecked() throws Exception {
        RecordingCommitRequest request = request("someone-else-7", 11, 2);
        coordinator.put("someone-else-7", state(TransactionState.COMPLETE_COMMIT, 11, 3));

        committer.commit(List.of(request));
        committer.commit(List.of(request));

        assertThat(asked).isEmpty();
        assertThat(connector.committed).containsExactly(request, request);
        assertThat(request.alreadyCommitted()).isFalse();
    }

    @Test
    void findsTheCheckpointInTheConnectorsTransactionalIds() {
        assertThat(RecoveredTransactionsCommitter.checkpointOf("inctrl-scores-0-7", PREFIX))
                .hasValue(7);
        assertThat(RecoveredTransactionsCommitter.checkpointOf("inctrl-scores-12-300", PREFIX))
                .hasValue(300);
        assertThat(RecoveredTransactionsCommitter.checkpointOf("inctrl-alerts-0-7", PREFIX))
                .isEmpty();
        assertThat(RecoveredTransactionsCommitter.checkpointOf("inctrl-scores-0-", PREFIX))
                .isEmpty();
        assertThat(RecoveredTransactionsCommitter.checkpointOf("inctrl-scores--7", PREFIX))
                .isEmpty();
        assertThat(RecoveredTransactionsCommitter.checkpointOf("inctrl-scores-x-7", PREFIX))
                .isEmpty();
        assertThat(RecoveredTransactionsCommitter.checkpointOf("inctrl-scores-0-7-1", PREFIX))
                .isEqualTo(OptionalLong.empty());
    }

    @Test
    void closesTheConnectorsCommitter() throws Exception {
        committer.close();

        assertThat(connector.closed).isTrue();
    }

    private static RecordingCommitRequest request(
            String transactionalId, long producerId, int epoch) {
        return new RecordingCommitRequest(
                new KafkaCommittable(producerId, (short) epoch, transactionalId, null));
    }

    private static TransactionDescription state(
            TransactionState state, long producerId, int epoch) {
        return new TransactionDescription(
                0, state, producerId, epoch, 900_000, OptionalLong.empty(), Set.of());
    }

    private static final class RecordingCommitter implements Committer<KafkaCommittable> {
        final List<CommitRequest<KafkaCommittable>> committed = new ArrayList<>();
        int calls;
        boolean closed;

        @Override
        public void commit(Collection<CommitRequest<KafkaCommittable>> requests) {
            calls++;
            committed.addAll(requests);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
