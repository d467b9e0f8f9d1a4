package io.inctrlstream.it;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.RecordIds;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes frames and commands (keyed by line id, as cameras and operator tools do) and arbitrary
 * bytes to a test's input topics. Every send waits for the broker's acknowledgement, so records are
 * in the topic, in order, when a method returns.
 */
final class InputProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final InspectionTopics topics;

    InputProducer(String bootstrapServers, InspectionTopics topics) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        this.producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    void frame(Frame frame) {
        send(topics.frames(), RecordIds.lineKey(frame.getLineId()), Records.encode(frame));
    }

    void command(ControlCommand command) {
        send(topics.control(), RecordIds.lineKey(command.getLineId()), Records.encode(command));
    }

    /** Writes {@code value} (null: a tombstone) to the frames topic; returns where it went. */
    RecordMetadata rawFrame(String lineId, byte[] value) {
        return send(topics.frames(), lineId == null ? null : RecordIds.lineKey(lineId), value);
    }

    /** Writes {@code value} to the control topic; returns where it went. */
    RecordMetadata rawCommand(String lineId, byte[] value) {
        return send(topics.control(), lineId == null ? null : RecordIds.lineKey(lineId), value);
    }

    /** Writes {@code record} as it is (any key, any headers); returns where it went. */
    RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not send a record to " + record.topic(), e);
        }
    }

    private RecordMetadata send(String topic, byte[] key, byte[] value) {
        return send(new ProducerRecord<>(topic, key, value));
    }

    @Override
    public void close() {
        producer.close();
    }
}
