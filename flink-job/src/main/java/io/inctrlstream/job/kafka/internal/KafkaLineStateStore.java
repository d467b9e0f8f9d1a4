package io.inctrlstream.job.kafka.internal;

import io.inctrlstream.job.io.LineStateStore;
import io.inctrlstream.job.io.OutputTopic;
import io.inctrlstream.job.kafka.KafkaSettings;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole line-state topic once: every partition from its beginning up to its end offset
 * (last stable offset: {@code read_committed}) taken when the read starts, with a consumer of its
 * own that joins no group and commits nothing. The caller keeps what it needs (the inference
 * operator: the lines of its key groups), so every subtask reads every record.
 */
public final class KafkaLineStateStore implements LineStateStore {
    private static final long serialVersionUID = 1L;

    /** How long the read may go without progress before it fails. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final String topic;
    private final HashMap<String, String> clientProperties;

    public KafkaLineStateStore(KafkaSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.bootstrapServers = settings.bootstrapServers();
        this.topic = settings.outputTopics().get(OutputTopic.LINE_STATE);
        this.clientProperties = new HashMap<>(settings.clientProperties());
    }

    @Override
    public void readAll(Visitor visitor) throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        consumerProperties(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, STALL_TIMEOUT);
            Set<TopicPartition> unread = new HashSet<>(partitions);
            unread.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
            Instant stallDeadline = Instant.now().plus(STALL_TIMEOUT);
            while (!unread.isEmpty()) {
                boolean progress = false;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition partition =
                            new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < ends.get(partition)) {
                        visitor.record(record.key(), record.value());
                    }
                    progress = true;
                }
                for (TopicPartition partition : List.copyOf(unread)) {
                    if (consumer.position(partition) >= ends.get(partition)) {
                        unread.remove(partition);
                        progress = true;
                    }
                }
                if (progress) {
                    stallDeadline = Instant.now().plus(STALL_TIMEOUT);
                } else if (Instant.now().isAfter(stallDeadline)) {
                    throw new IOException(
                            "reading the line-state topic "
                                    + topic
                                    + " made no progress for "
                                    + STALL_TIMEOUT.toSeconds()
                                    + " s; partitions not read to their end offsets "
                                    + ends
                                    + ": "
                                    + unread);
                }
            }
        } catch (KafkaException e) {
            throw new IOException(
                    "cannot read the line-state topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer)
            throws IOException {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, STALL_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IOException(
                    "the line-state topic "
                            + topic
                            + " does not exist on "
                            + bootstrapServers
                            + "; create it compacted (cleanup.policy=compact) with max.message.bytes"
                            + " above the largest line state, see docs/topics-and-schemas.md");
        }
        List<TopicPartition> partitions = new ArrayList<>(infos.size());
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }

    private Properties consumerProperties() {
        // Pass-through properties first (security): the reader's own settings win over them.
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return properties;
    }

    @Override
    public String toString() {
        return "the Kafka line-state topic " + topic + " on " + bootstrapServers;
    }
}
