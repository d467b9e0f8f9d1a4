package io.inctrlstream.launcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The frames a consumer group has not read: end offsets minus its commits, per partition. */
@ExtendWith(SharedKafka.class)
class FramesBacklogITCase {
    @Test
    void countsWhatTheGroupHasNotCommittedInEveryPartition(EmbeddedKafkaBroker broker)
            throws Exception {
        broker.createTopics(Map.of("backlog-frames", 2));
        KafkaClientSettings kafka = new KafkaClientSettings(broker.bootstrapServers(), Map.of());
        Properties producer = kafka.producer("test");
        try (KafkaProducer<byte[], byte[]> send =
                new KafkaProducer<>(
                        producer, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 5; i++) {
                send.send(new ProducerRecord<>("backlog-frames", 0, null, new byte[] {(byte) i}));
            }
            for (int i = 0; i < 3; i++) {
                send.send(new ProducerRecord<>("backlog-frames", 1, null, new byte[] {(byte) i}));
            }
        }
        Properties consumer = kafka.consumer("test");
        consumer.put("group.id", "job");
        try (KafkaConsumer<byte[], byte[]> commit =
                new KafkaConsumer<>(
                        consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            commit.commitSync(
                    Map.of(new TopicPartition("backlog-frames", 0), new OffsetAndMetadata(2)));
        }

        assertThat(FramesBacklog.unread(kafka, "backlog-frames", "job"))
                .as("3 left in partition 0, all 3 of partition 1 (no commit there)")
                .isEqualTo(6);
        assertThat(FramesBacklog.unread(kafka, "backlog-frames", "another-group")).isEqualTo(8);
        assertThatThrownBy(() -> FramesBacklog.unread(kafka, "no-such-topic", "job"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "cannot read the backlog of topic no-such-topic for group job from"
                                + " Kafka at "
                                + broker.bootstrapServers());
    }
}
