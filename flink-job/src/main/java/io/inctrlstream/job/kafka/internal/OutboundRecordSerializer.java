package io.inctrlstream.job.kafka.internal;

import io.inctrlstream.job.io.OutboundRecord;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes an {@link OutboundRecord} to its topic with its key and value as they are: Kafka's default
 * partitioner then puts all records of a line (same key) into one partition, in order.
 */
public final class OutboundRecordSerializer
        implements KafkaRecordSerializationSchema<OutboundRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public OutboundRecordSerializer(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            OutboundRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, record.key(), record.value());
    }
}
