package io.inctrlstream.job.kafka;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.OutputTopic;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The job's Kafka settings, read from its options and validated.
 *
 * @param bootstrapServers the brokers
 * @param groupId the sources' consumer group
 * @param clientProperties properties passed to every consumer and producer
 * @param framesTopic the frames topic
 * @param framesStartingOffsets where the frames source starts without a checkpoint
 * @param controlTopic the control topic
 * @param outputTopics the topic of each output (the line-state topic included)
 * @param lineStateMaxRecordBytes the largest line-state record (key and value) the job writes
 * @param deliveryMode the sinks' delivery guarantee
 * @param transactionalIdPrefix prefix of the sinks' transactional ids (exactly-once)
 * @param transactionTimeout the producers' transaction timeout (exactly-once)
 */
public record KafkaSettings(
        String bootstrapServers,
        String groupId,
        Map<String, String> clientProperties,
        String framesTopic,
        StartingOffsets framesStartingOffsets,
        String controlTopic,
        Map<OutputTopic, String> outputTopics,
        long lineStateMaxRecordBytes,
        DeliveryMode deliveryMode,
        String transactionalIdPrefix,
        Duration transactionTimeout) {
    /**
     * The largest line-state record the job can write: Kafka's producer sizes and the broker's
     * request limit are ints, and a request carries some framing besides the record.
     */
    public static final long MAX_LINE_STATE_RECORD_BYTES = Integer.MAX_VALUE / 2;

    public KafkaSettings {
        requireText("bootstrap servers", bootstrapServers);
        requireText("group id", groupId);
        requireText("frames topic", framesTopic);
        Objects.requireNonNull(framesStartingOffsets, "framesStartingOffsets");
        requireText("control topic", controlTopic);
        clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties));
        outputTopics = Map.copyOf(Objects.requireNonNull(outputTopics));
        for (OutputTopic topic : OutputTopic.values()) {
            requireText(topic.id() + " topic", outputTopics.get(topic));
        }
        if (lineStateMaxRecordBytes < 1 || lineStateMaxRecordBytes > MAX_LINE_STATE_RECORD_BYTES) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.LINE_STATE_MAX_RECORD_BYTES.key()
                            + " must be between 1 byte and "
                            + MAX_LINE_STATE_RECORD_BYTES
                            + " bytes, found "
                            + lineStateMaxRecordBytes);
        }
        Objects.requireNonNull(deliveryMode, "deliveryMode");
        requireText("transactional id prefix", transactionalIdPrefix);
        if (transactionTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "transaction timeout must be positive, found " + transactionTimeout);
        }
    }

    /** The settings from the job's options. */
    public static KafkaSettings from(ReadableConfig config) {
        Map<OutputTopic, String> outputs = new EnumMap<>(OutputTopic.class);
        outputs.put(OutputTopic.SCORES, config.get(InspectionJobOptions.SCORES_TOPIC));
        outputs.put(OutputTopic.ALERTS, config.get(InspectionJobOptions.ALERTS_TOPIC));
        outputs.put(
                OutputTopic.CONTROL_EVENTS, config.get(InspectionJobOptions.CONTROL_EVENTS_TOPIC));
        outputs.put(OutputTopic.DEAD_LETTERS, config.get(InspectionJobOptions.DEAD_LETTERS_TOPIC));
        outputs.put(OutputTopic.LINE_STATE, config.get(InspectionJobOptions.LINE_STATE_TOPIC));
        return new KafkaSettings(
                config.get(InspectionJobOptions.BOOTSTRAP_SERVERS),
                config.get(InspectionJobOptions.GROUP_ID),
                config.get(InspectionJobOptions.KAFKA_PROPERTIES),
                config.get(InspectionJobOptions.FRAMES_TOPIC),
                config.get(InspectionJobOptions.FRAMES_STARTING_OFFSETS),
                config.get(InspectionJobOptions.CONTROL_TOPIC),
                outputs,
                config.get(InspectionJobOptions.LINE_STATE_MAX_RECORD_BYTES).getBytes(),
                config.get(InspectionJobOptions.DELIVERY_GUARANTEE),
                config.get(InspectionJobOptions.TRANSACTIONAL_ID_PREFIX),
                config.get(InspectionJobOptions.TRANSACTION_TIMEOUT));
    }

    /** The pass-through client properties as {@link Properties}. */
    Properties clientPropertiesCopy() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        return properties;
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty, found none");
        }
    }

    @Override
    public String toString() {
        // Client properties may hold credentials (sasl.jaas.config): names only.
        return "KafkaSettings[bootstrapServers="
                + bootstrapServers
                + ", groupId="
                + groupId
                + ", clientProperties="
                + clientProperties.keySet()
                + ", framesTopic="
                + framesTopic
                + ", framesStartingOffsets="
                + framesStartingOffsets
                + ", controlTopic="
                + controlTopic
                + ", outputTopics="
                + outputTopics
                + ", lineStateMaxRecordBytes="
                + lineStateMaxRecordBytes
                + ", deliveryMode="
                + deliveryMode
                + ", transactionalIdPrefix="
                + transactionalIdPrefix
                + ", transactionTimeout="
                + transactionTimeout
                + "]";
    }
}
