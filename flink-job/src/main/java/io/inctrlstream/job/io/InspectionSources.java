package io.inctrlstream.job.io;

import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the job's input records come from: streams of raw frames and commands, told apart by {@link
 * RawRecord#topic()} (the configured frames and control topics), and the store of the lines'
 * applied state that a job started without a checkpoint restores from. Kafka in production ({@code
 * io.inctrlstream.job.kafka.KafkaInspectionSources}: a frames and a control stream, each from its
 * own source, and the line-state topic); in memory in tests (one stream, so that a test can fix the
 * order of a line's commands and frames).
 */
public interface InspectionSources {
    /**
     * Adds the source(s) to {@code env} and returns their streams. The job decodes each stream at
     * its own parallelism, chained to it, so the records of each source partition stay in order up
     * to the key-by; streams of different sources have no order between them.
     */
    List<DataStream<RawRecord>> inputs(StreamExecutionEnvironment env);

    /** The lines' applied state, for a job started without a checkpoint or savepoint. */
    LineStateStore lineStates();
}
