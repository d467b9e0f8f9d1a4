package io.inctrlstream.launcher.internal.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Small helpers around the Kafka clients the launcher uses. */
public final class KafkaClients {
    private KafkaClients() {}

    /**
     * All partitions of a topic.
     *
     * @throws IllegalStateException if the topic does not exist
     */
    public static List<TopicPartition> partitions(
            Consumer<?, ?> consumer, String topic, String bootstrapServers) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(
                    "topic \"" + topic + "\" does not exist on " + bootstrapServers);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }
}
