package io.inctrlstream.job.kafka;

import io.inctrlstream.job.io.InspectionSources;
import io.inctrlstream.job.io.LineStateStore;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.job.kafka.internal.KafkaLineStateStore;
import io.inctrlstream.job.kafka.internal.RawRecordDeserializer;
import java.util.List;
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
 * Reads the frames and the control topic with one Kafka source each, as raw records, so that each
 * has its own starting offsets and its own state (uid): control from the consumer group's committed
 * offsets, else the earliest (a command is never skipped), frames as {@link
 * KafkaSettings#framesStartingOffsets()} says (by default the committed offsets, else the latest: a
 * new job does not score a backlog of old frames). A job resuming from a checkpoint or savepoint
 * resumes from its offsets instead. Both sources commit offsets on every checkpoint, read {@code
 * read_committed} (so transactional producers' aborted records are skipped) and never fail on a
 * record's content.
 */
public final class KafkaInspectionSources implements InspectionSources {
    /** The frames source's uid (its offsets live in its state). */
    public static final String FRAMES_UID = "inctrl-kafka-frames";

    /** The control source's uid (its offsets live in its state). */
    public static final String CONTROL_UID = "inctrl-kafka-control";

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

    /** The Kafka source of the frames topic. */
    public KafkaSource<RawRecord> framesSource() {
        return source(settings.framesTopic(), settings.framesStartingOffsets());
    }

    /** The Kafka source of the control topic. */
    public KafkaSource<RawRecord> controlSource() {
        return source(settings.controlTopic(), StartingOffsets.COMMITTED_OR_EARLIEST);
    }

    private KafkaSource<RawRecord> source(String topic, StartingOffsets startingOffsets) {
        // Pass-through properties first: the job's own settings below win over them.
        return KafkaSource.<RawRecord>builder()
                .setProperties(latency.consumerProperties(settings.clientPropertiesCopy()))
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setBootstrapServers(settings.bootstrapServers())
                .setGroupId(settings.groupId())
                .setTopics(topic)
                .setStartingOffsets(initializer(startingOffsets))
                .setDeserializer(new RawRecordDeserializer())
                .build();
    }

    /** The connector's offsets initializer of {@code startingOffsets}. */
    static OffsetsInitializer initializer(StartingOffsets startingOffsets) {
        switch (startingOffsets) {
            case COMMITTED_OR_LATEST:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST);
            case COMMITTED_OR_EARLIEST:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            default:
                throw new IllegalArgumentException("unknown starting offsets " + startingOffsets);
        }
    }

    /**
     * The frames stream and the control stream, each from its own source at the environment's
     * parallelism (the control source follows the frames source's, so that the decode stages
     * chained to them have the same parallelism).
     */
    @Override
    public List<DataStream<RawRecord>> inputs(StreamExecutionEnvironment env) {
        DataStream<RawRecord> frames =
                env.fromSource(
                                framesSource(),
                                WatermarkStrategy.noWatermarks(),
                                "kafka: " + settings.framesTopic(),
                                TypeInformation.of(RawRecord.class))
                        .uid(FRAMES_UID);
        DataStream<RawRecord> control =
                env.fromSource(
                                controlSource(),
                                WatermarkStrategy.noWatermarks(),
                                "kafka: " + settings.controlTopic(),
                                TypeInformation.of(RawRecord.class))
                        .uid(CONTROL_UID)
                        .setParallelism(frames.getParallelism());
        return List.of(frames, control);
    }

    /** The line-state topic, read whole by every subtask of a job started without checkpoint. */
    @Override
    public LineStateStore lineStates() {
        return new KafkaLineStateStore(settings);
    }
}
