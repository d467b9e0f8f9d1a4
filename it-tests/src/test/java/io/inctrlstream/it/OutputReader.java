package io.inctrlstream.it;

import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one output topic of the job from its beginning and decodes every record, as a downstream
 * consumer would: {@linkplain #committed read committed} (what an exactly-once consumer sees) or
 * {@linkplain #uncommitted read uncommitted} (also records of open and aborted transactions). The
 * waits poll the topic until a condition holds or a deadline passes, then fail saying what was
 * read.
 *
 * @param <T> the record type of the topic
 */
final class OutputReader<T extends SpecificRecord> implements AutoCloseable {
    /** The longest any wait takes: job start, model load and scoring on two busy cores. */
    static final Duration DEADLINE = Duration.ofSeconds(90);

    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final AvroCodec<T> codec;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaConsumer<byte[], byte[]> highWatermarks;
    private final List<TopicPartition> partitions;
    private final List<T> records = new ArrayList<>();

    private OutputReader(
            String bootstrapServers, String topic, AvroCodec<T> codec, String isolationLevel) {
        this.topic = topic;
        this.codec = codec;
        this.consumer =
                new KafkaConsumer<>(
                        properties(bootstrapServers, isolationLevel),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        this.highWatermarks =
                new KafkaConsumer<>(
                        properties(bootstrapServers, "read_uncommitted"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        this.partitions =
                consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** A reader that sees committed records only ({@code isolation.level=read_committed}). */
    static <T extends SpecificRecord> OutputReader<T> committed(
            String bootstrapServers, String topic, AvroCodec<T> codec) {
        return new OutputReader<>(bootstrapServers, topic, codec, "read_committed");
    }

    /** A reader that sees every record written, committed or not. */
    static <T extends SpecificRecord> OutputReader<T> uncommitted(
            String bootstrapServers, String topic, AvroCodec<T> codec) {
        return new OutputReader<>(bootstrapServers, topic, codec, "read_uncommitted");
    }

    /** Every record read so far, in the order read (per partition: the topic's order). */
    List<T> records() {
        return List.copyOf(records);
    }

    /** Reads what arrived since the last read (one poll) and returns every record read so far. */
    List<T> readNow() {
        pollOnce();
        return records();
    }

    /**
     * Polls until {@code condition} holds for the records read so far and returns them.
     *
     * @throws AssertionError naming {@code what} and the records read, after {@link #DEADLINE}
     */
    List<T> awaitUntil(Predicate<List<T>> condition, String what) {
        return awaitUntil(condition, what, DEADLINE);
    }

    /**
     * Polls until {@code condition} holds for the records read so far and returns them, waiting at
     * most {@code timeout} (for tests whose input takes longer than {@link #DEADLINE} to score).
     *
     * @throws AssertionError naming {@code what} and the records read, after {@code timeout}
     */
    List<T> awaitUntil(Predicate<List<T>> condition, String what, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.test(records)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "waited "
                                + timeout.toSeconds()
                                + " s on "
                                + topic
                                + " for "
                                + what
                                + "; read "
                                + records.size()
                                + " records: "
                                + summary());
            }
            pollOnce();
        }
        return records();
    }

    /**
     * Polls until the reader has read up to the topic's current end: for a committed reader, up to
     * the last stable offset, after which every open transaction has been committed or aborted.
     * Call it once the job has no more input to score, to see that nothing more arrives.
     */
    List<T> awaitSettled() {
        Instant deadline = Instant.now().plus(DEADLINE);
        Map<TopicPartition, Long> stable = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> written = writtenEnd();
        while (!stable.equals(written) || !caughtUpTo(stable)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "waited "
                                + DEADLINE.toSeconds()
                                + " s for "
                                + topic
                                + " to settle: stable ends "
                                + stable
                                + ", written ends "
                                + written
                                + ", read "
                                + records.size()
                                + " records");
            }
            pollOnce();
            stable = consumer.endOffsets(partitions);
            written = writtenEnd();
        }
        return records();
    }

    /** The records read, each cut to a line (scores carry long patch maps). */
    private String summary() {
        return records.stream()
                .map(Object::toString)
                .map(text -> text.length() > 200 ? text.substring(0, 200) + "...}" : text)
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private boolean caughtUpTo(Map<TopicPartition, Long> ends) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < ends.get(partition)) {
                return false;
            }
        }
        return true;
    }

    /** The high watermarks: the ends including records of open transactions. */
    private Map<TopicPartition, Long> writtenEnd() {
        return highWatermarks.endOffsets(partitions);
    }

    private void pollOnce() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            try {
                records.add(codec.decode(record.value()));
            } catch (SchemaDecodeException e) {
                throw new AssertionError(
                        "the job wrote a record to "
                                + topic
                                + " that does not decode: "
                                + e.getMessage(),
                        e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
        highWatermarks.close();
    }

    private static Properties properties(String bootstrapServers, String isolationLevel) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        return properties;
    }
}
