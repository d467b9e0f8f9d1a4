package io.inctrlstream.launcher.internal.soak;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import io.inctrlstream.launcher.internal.kafka.KafkaClients;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the scores topic from its beginning as an exactly-once consumer does ({@code
 * read_committed}), on its own thread, into the {@link ScoreTally}; counts the dead letters.
 */
final class ScoreReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreReader.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final InspectionTopics topics;
    private final ScoreTally tally;
    private final AvroCodec<AnomalyScore> scores = AvroCodec.anomalyScores();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Thread thread = new Thread(this::run, "inctrl-soak-scores");
    private volatile boolean running = true;

    ScoreReader(KafkaClientSettings kafka, InspectionTopics topics, ScoreTally tally) {
        Properties properties = kafka.consumer("inctrl-soak-scores");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(properties);
        this.topics = topics;
        this.tally = tally;
        List<TopicPartition> partitions =
                new java.util.ArrayList<>(
                        KafkaClients.partitions(
                                consumer, topics.scores(), kafka.bootstrapServers()));
        partitions.addAll(
                KafkaClients.partitions(consumer, topics.deadLetters(), kafka.bootstrapServers()));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Dead letters read so far (a soak of good frames should have none). */
    long deadLetters() {
        return deadLetters.get();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(topics.deadLetters())) {
                        deadLetters.incrementAndGet();
                    } else {
                        count(record);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> record) {
        try {
            AnomalyScore score = scores.decode(record.value());
            long sequence = SoakLine.sequence(score.getFrameId());
            if (sequence < 0) {
                tally.foreign();
            } else {
                tally.scored(score.getLineId(), sequence, score.getStatus() == ScoreStatus.SCORED);
            }
        } catch (SchemaDecodeException | RuntimeException e) {
            tally.foreign();
            LOG.warn("cannot read score {}@{}", record.partition(), record.offset(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
