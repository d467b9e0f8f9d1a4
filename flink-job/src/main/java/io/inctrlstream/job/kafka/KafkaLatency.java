package io.inctrlstream.job.kafka;

import io.inctrlstream.job.InspectionJobOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings of the job's sources and sinks that decide how long a frame or a score
 * waits inside a client, chosen for latency: a fetch returns as soon as one byte is there ({@code
 * fetch.min.bytes} 1) and waits at most {@code fetchMaxWait} when nothing is; a producer sends at
 * once ({@code linger.ms}); one fetch per partition and one request hold a whole frame of the frame
 * limit ({@code max.partition.fetch.bytes}, {@code max.request.size}). Pass-through client
 * properties ({@code inctrl.kafka.properties.*}) win over these.
 *
 * @param fetchMaxWait longest a fetch waits on the broker when no record is there
 * @param linger how long a producer waits to batch records before sending
 * @param maxRecordBytes the largest frame record accepted (the frame limit)
 */
public record KafkaLatency(Duration fetchMaxWait, Duration linger, long maxRecordBytes) {
    /** What a fetch or request may carry besides one record of the frame limit. */
    static final long RECORD_OVERHEAD_BYTES = 64 * 1024;

    public KafkaLatency {
        Objects.requireNonNull(fetchMaxWait, "fetchMaxWait");
        Objects.requireNonNull(linger, "linger");
        if (fetchMaxWait.isNegative() || fetchMaxWait.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.KAFKA_FETCH_MAX_WAIT.key()
                            + " must be between 0 and "
                            + Integer.MAX_VALUE
                            + " ms, found "
                            + fetchMaxWait);
        }
        if (linger.isNegative() || linger.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.KAFKA_LINGER.key()
                            + " must be between 0 and "
                            + Integer.MAX_VALUE
                            + " ms, found "
                            + linger);
        }
        if (maxRecordBytes < 1 || maxRecordBytes > Integer.MAX_VALUE - RECORD_OVERHEAD_BYTES) {
            throw new IllegalArgumentException(
                    "the largest record must be between 1 byte and "
                            + (Integer.MAX_VALUE - RECORD_OVERHEAD_BYTES)
                            + " bytes, found "
                            + maxRecordBytes);
        }
    }

    /** The settings from the job's options. */
    public static KafkaLatency from(ReadableConfig config) {
        return new KafkaLatency(
                config.get(InspectionJobOptions.KAFKA_FETCH_MAX_WAIT),
                config.get(InspectionJobOptions.KAFKA_LINGER),
                config.get(InspectionJobOptions.FRAME_MAX_BYTES).getBytes());
    }

    /** The options' defaults. */
    public static KafkaLatency defaults() {
        return from(new org.apache.flink.configuration.Configuration());
    }

    /** The consumer settings under the pass-through properties. */
    public Properties consumerProperties(Properties passThrough) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        properties.put(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(fetchMaxWait.toMillis()));
        properties.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Long.toString(requestBytes()));
        properties.putAll(passThrough);
        return properties;
    }

    /** The producer settings under the pass-through properties. */
    public Properties producerProperties(Properties passThrough) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Long.toString(requestBytes()));
        properties.putAll(passThrough);
        return properties;
    }

    private long requestBytes() {
        return Math.max(1 << 20, maxRecordBytes + RECORD_OVERHEAD_BYTES);
    }
}
