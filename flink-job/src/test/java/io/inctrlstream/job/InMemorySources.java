package io.inctrlstream.job;

import io.inctrlstream.job.io.InspectionSources;
import io.inctrlstream.job.io.LineStateStore;
import io.inctrlstream.job.io.RawRecord;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** One bounded, ordered in-memory stream of raw records (a single source subtask). */
public final class InMemorySources implements InspectionSources {
    private final List<RawRecord> records;
    private final LineStateStore lineStates;

    /** Records, and no line states to restore. */
    public InMemorySources(List<RawRecord> records) {
        this(records, LineStateStore.empty());
    }

    /** Records, and the line states a job started without checkpoint restores. */
    public InMemorySources(List<RawRecord> records, LineStateStore lineStates) {
        this.records = List.copyOf(records);
        this.lineStates = lineStates;
    }

    @Override
    public LineStateStore lineStates() {
        return lineStates;
    }

    @Override
    public List<DataStream<RawRecord>> inputs(StreamExecutionEnvironment env) {
        return List.of(
                env.fromData(records, TypeInformation.of(RawRecord.class))
                        .name("in-memory records"));
    }
}
