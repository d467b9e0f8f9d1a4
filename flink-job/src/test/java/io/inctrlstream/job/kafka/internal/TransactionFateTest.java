package io.inctrlstream.job.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.Set;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransactionFateTest {
    private static final KafkaCommittable COMMITTABLE =
            new KafkaCommittable(42, (short) 3, "inctrl-scores-0-7", null);

    @ParameterizedTest(name = "{0} at epoch {1} of producer {2}: {3}")
    @CsvSource({
        // Open under the committable's producer and epoch: commit it.
        "ONGOING, 3, 42, OPEN",
        // Committed: transactions v2 bump the epoch at the end, v1 do not.
        "COMPLETE_COMMIT, 4, 42, COMMITTED",
        "COMPLETE_COMMIT, 3, 42, COMMITTED",
        "PREPARE_COMMIT, 4, 42, COMMITTED",
        "PREPARE_COMMIT, 3, 42, COMMITTED",
        // Aborted (a timeout bumps the epoch in both versions).
        "COMPLETE_ABORT, 4, 42, ABORTED",
        "PREPARE_ABORT, 4, 42, ABORTED",
        "COMPLETE_ABORT, 3, 42, ABORTED",
        // The id was used again since: the state says nothing about this transaction.
        "ONGOING, 4, 42, UNKNOWN",
        "COMPLETE_COMMIT, 5, 42, UNKNOWN",
        "COMPLETE_ABORT, 6, 42, UNKNOWN",
        "EMPTY, 4, 42, UNKNOWN",
        "PREPARE_EPOCH_FENCE, 3, 42, UNKNOWN",
        "COMPLETE_COMMIT, 4, 43, UNKNOWN",
        "ONGOING, 3, 43, UNKNOWN",
        "UNKNOWN, 3, 42, UNKNOWN",
    })
    void readsTheCoordinatorsState(
            TransactionState state, int epoch, long producerId, TransactionFate expected) {
        TransactionDescription description =
                new TransactionDescription(
                        0, state, producerId, epoch, 60_000, OptionalLong.empty(), Set.of());

        assertThat(TransactionFate.of(COMMITTABLE, description)).isEqualTo(expected);
    }

    @Test
    void noAnswerIsUnknown() {
        assertThat(TransactionFate.of(COMMITTABLE, null)).isEqualTo(TransactionFate.UNKNOWN);
    }
}
