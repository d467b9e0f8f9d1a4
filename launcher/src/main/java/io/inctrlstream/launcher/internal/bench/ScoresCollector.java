package io.inctrlstream.launcher.internal.bench;

import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import io.inctrlstream.launcher.internal.kafka.KafkaClients;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.codec.AvroCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the scores topic from its end (as it was when started) on a thread of its own and records,
 * per frame id, when its first score arrived here and what it said. The consumer fetches without
 * waiting for more bytes, so the arrival time is when the broker had the score plus one poll.
 */
final class ScoresCollector implements AutoCloseable {
    /** One frame's first score, as read back. */
    record Arrival(
            ScoreStatus status,
            long captureMillis,
            long scoredMillis,
            long arrivalMillis,
            long arrivalNanos) {
        /** Capture time to read back, in milliseconds. */
        long latencyMillis() {
            return arrivalMillis - captureMillis;
        }

        /** Capture time to the job's scored time (in the score), in milliseconds. */
        long toScoredMillis() {
            return scoredMillis - captureMillis;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroCodec<AnomalyScore> codec = AvroCodec.anomalyScores();
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closing;

    ScoresCollector(KafkaClientSettings kafka, String topic) {
        java.util.Properties properties = kafka.consumer("inctrl-bench-scores");
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        this.consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions =
                KafkaClients.partitions(consumer, topic, kafka.bootstrapServers());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        for (TopicPartition partition : partitions) {
            consumer.position(partition); // fix the start now, before any frame is sent
        }
        this.thread = new Thread(this::poll, "inctrl-bench-scores");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long nanos = System.nanoTime();
                    long millis = System.currentTimeMillis();
                    AnomalyScore score = codec.decode(record.value());
                    arrivals.putIfAbsent(
                            score.getFrameId(),
                            new Arrival(
                                    score.getStatus(),
                                    score.getCaptureTime().toEpochMilli(),
                                    score.getScoredTime().toEpochMilli(),
                                    millis,
                                    nanos));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure.set(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Waits until every frame id has its score.
     *
     * @param alive called while waiting; throws when the job can no longer answer
     * @return the arrivals in the order of the ids
     * @throws TimeoutException naming how many scores are missing
     * @throws IllegalStateException if reading failed or a frame was not scored
     */
    List<Arrival> await(List<String> frameIds, Duration timeout, Runnable alive)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Throwable failed = failure.get();
            if (failed != null) {
                throw new IllegalStateException("reading the scores failed: " + failed, failed);
            }
            long missing = frameIds.stream().filter(id -> !arrivals.containsKey(id)).count();
            if (missing == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        missing
                                + " of "
                                + frameIds.size()
                                + " frames had no score after "
                                + timeout.toSeconds()
                                + " s");
            }
            alive.run();
            Thread.sleep(20);
        }
        List<Arrival> result = new ArrayList<>(frameIds.size());
        for (String id : frameIds) {
            Arrival arrival = arrivals.get(id);
            if (arrival.status() != ScoreStatus.SCORED) {
                throw new IllegalStateException(
                        "frame " + id + " was not scored but " + arrival.status());
            }
            result.add(arrival);
        }
        return result;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
