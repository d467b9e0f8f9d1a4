package io.inctrlstream.job.kafka;

import io.inctrlstream.job.io.InspectionSources;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.job.kafka.internal.RawRecordDeserializer;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Reads the frames and control topics with one Kafka source, as raw records. It starts from the
 * consumer group's committed offsets (the earliest offset for a new group), commits offsets on
 * every checkpoint (for monitoring; a restore resumes from the checkpoint's own offsets), reads
 * {@code read_committed} (so transactional producers' aborted records are skipped), and never fails
 * on a record's content.
 */
public final class KafkaInspectionSources implements InspectionSources {
    /** The source's uid (its offsets live in its state). */
    public static final String UID = "inctrl-kafka-source";

    private final KafkaSettings settings;
    private final KafkaLatency latency;

    /** Sources with the latency options' defaults. */
    public KafkaInspectionSources(KafkaSettings settings) {
        this(settings, KafkaLatency.defaults());
    }

    public KafkaInspectionSources(KafkaSettings settings, KafkaLatency latency) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    /** The Kafka source itself. */
    public KafkaSource<RawRecord> source() {
        // Pass-through properties first: the job's own settings below win over them.
        return KafkaSource.<RawRecord>builder()
                .setProperties(latency.consumerProperties(settings.clientPropertiesCopy()))
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setBootstrapServers(settings.bootstrapServers())
                .setGroupId(settings.groupId())
                .setTopics(settings.framesTopic(), settings.controlTopic())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .build();
    }

    @Override
    public DataStream<RawRecord> inputs(StreamExecutionEnvironment env) {
        return env.fromSource(
                        source(),
                        WatermarkStrategy.noWatermarks(),
                        "kafka: " + settings.framesTopic() + ", " + settings.controlTopic(),
                        TypeInformation.of(RawRecord.class))
                .uid(UID);
    }
}
