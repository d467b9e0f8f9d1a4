package io.inctrlstream.job;

import io.inctrlstream.job.io.InspectionSinks;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.OutputTopic;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Sinks that collect each output's records in this JVM (the MiniCluster runs in it), in arrival
 * order, for one job run.
 */
public final class CollectingSinks implements InspectionSinks {
    private static final Map<String, Map<OutputTopic, List<OutboundRecord>>> RUNS =
            new ConcurrentHashMap<>();

    private final String runId = UUID.randomUUID().toString();

    public CollectingSinks() {
        Map<OutputTopic, List<OutboundRecord>> outputs = new ConcurrentHashMap<>();
        for (OutputTopic topic : OutputTopic.values()) {
            outputs.put(topic, Collections.synchronizedList(new ArrayList<>()));
        }
        RUNS.put(runId, outputs);
    }

    @Override
    public void write(OutputTopic topic, DataStream<OutboundRecord> records) {
        records.sinkTo(new CollectingSink(runId, topic)).name("collect " + topic.id());
    }

    /** The records written to {@code topic}, in arrival order. */
    public List<OutboundRecord> records(OutputTopic topic) {
        synchronized (RUNS.get(runId).get(topic)) {
            return List.copyOf(RUNS.get(runId).get(topic));
        }
    }

    /** The values written to {@code topic}, decoded. */
    public <T extends SpecificRecord> List<T> decoded(OutputTopic topic, AvroCodec<T> codec) {
        List<T> values = new ArrayList<>();
        for (OutboundRecord record : records(topic)) {
            try {
                values.add(codec.decode(record.value()));
            } catch (SchemaDecodeException e) {
                throw new AssertionError("the job wrote an undecodable " + topic + " record", e);
            }
        }
        return values;
    }

    /** Forgets this run's records. */
    public void clear() {
        RUNS.remove(runId);
    }

    private static final class CollectingSink implements Sink<OutboundRecord> {
        private static final long serialVersionUID = 1L;

        private final String runId;
        private final OutputTopic topic;

        CollectingSink(String runId, OutputTopic topic) {
            this.runId = runId;
            this.topic = topic;
        }

        @Override
        public SinkWriter<OutboundRecord> createWriter(WriterInitContext context) {
            List<OutboundRecord> target = RUNS.get(runId).get(topic);
            return new SinkWriter<>() {
                @Override
                public void write(OutboundRecord element, Context context) {
                    target.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
