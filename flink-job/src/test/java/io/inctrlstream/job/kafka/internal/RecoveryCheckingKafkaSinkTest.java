package io.inctrlstream.job.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.kafka.CommitterContexts;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class RecoveryCheckingKafkaSinkTest {
    private final KafkaSink<String> kafkaSink =
            KafkaSink.<String>builder()
                    .setBootstrapServers("localhost:9")
                    .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix("inctrl-scores")
                    .setRecordSerializer(
                            KafkaRecordSerializationSchema.builder()
                                    .setTopic("line.scores")
                                    .setValueSerializationSchema(new SimpleStringSchema())
                                    .build())
                    .build();
    private final RecoveryCheckingKafkaSink<String> sink =
            new RecoveryCheckingKafkaSink<>(
                    kafkaSink,
                    new Properties(),
                    "inctrl-scores",
                    "line.scores",
                    Duration.ofMinutes(15));

    @Test
    void aFreshStartCommitsWithTheConnectorsCommitterAlone() throws Exception {
        try (Committer<KafkaCommittable> committer =
                sink.createCommitter(CommitterContexts.fresh())) {
            assertThat(committer).isInstanceOf(KafkaCommitter.class);
        }
    }

    @Test
    void aRestoredStartChecksTheRestoredTransactionsFirst() throws Exception {
        try (Committer<KafkaCommittable> committer =
                sink.createCommitter(CommitterContexts.restoredFrom(3))) {
            assertThat(committer).isInstanceOf(RecoveredTransactionsCommitter.class);
        }
    }

    @Test
    void keepsTheConnectorsStateAndCommittableSerializers() {
        assertThat(sink.getWriterStateSerializer().getVersion())
                .isEqualTo(kafkaSink.getWriterStateSerializer().getVersion());
        assertThat(sink.getWriterStateSerializer().getClass())
                .isEqualTo(kafkaSink.getWriterStateSerializer().getClass());
        assertThat(sink.getCommittableSerializer().getClass())
                .isEqualTo(kafkaSink.getCommittableSerializer().getClass());
    }

    @Test
    void travelsToTheTaskManagersAsJavaSerialization() throws Exception {
        RecoveryCheckingKafkaSink<String> copy = InstantiationUtil.clone(sink);

        try (Committer<KafkaCommittable> committer =
                copy.createCommitter(CommitterContexts.restoredFrom(3))) {
            assertThat(committer).isInstanceOf(RecoveredTransactionsCommitter.class);
        }
    }
}
