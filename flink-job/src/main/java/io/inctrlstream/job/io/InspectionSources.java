package io.inctrlstream.job.io;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the job's input records come from: one stream of raw frames and commands, told apart by
 * {@link RawRecord#topic()} (the configured frames and control topics). Kafka in production ({@code
 * io.inctrlstream.job.kafka.KafkaInspectionSources}); in-memory in tests. One stream rather than
 * two, so that a test source can fix the order of a line's commands and frames.
 */
@FunctionalInterface
public interface InspectionSources {
    /** Adds the source(s) to {@code env} and returns their records. */
    DataStream<RawRecord> inputs(StreamExecutionEnvironment env);
}
