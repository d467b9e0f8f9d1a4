package io.inctrlstream.job.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
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
                sink.createCommitter(new Context(OptionalLong.empty()))) {
            assertThat(committer).isInstanceOf(KafkaCommitter.class);
        }
    }

    @Test
    void aRestoredStartChecksTheRestoredTransactionsFirst() throws Exception {
        try (Committer<KafkaCommittable> committer =
                sink.createCommitter(new Context(OptionalLong.of(3)))) {
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
                copy.createCommitter(new Context(OptionalLong.of(3)))) {
            assertThat(committer).isInstanceOf(RecoveredTransactionsCommitter.class);
        }
    }

    /** Subtask 0 of 1, restored from {@code checkpoint} if present. */
    private record Context(OptionalLong checkpoint) implements CommitterInitContext {
        @Override
        public SinkCommitterMetricGroup metricGroup() {
            return InternalSinkCommitterMetricGroup.wrap(
                    UnregisteredMetricsGroup.createOperatorMetricGroup());
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return checkpoint;
        }

        @Override
        public JobInfo getJobInfo() {
            return new JobInfoImpl(new JobID(), "test");
        }

        @Override
        public TaskInfo getTaskInfo() {
            return new TaskInfoImpl("committer", 1, 0, 1, 0);
        }
    }
}
