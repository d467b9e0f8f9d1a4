package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.LineOutput;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Encodes the inference operator's outputs for their topics, keyed by line: scores as {@link
 * AnomalyScore} (main output), command outcomes as {@link ControlEvent} (side output {@link
 * #CONTROL_EVENTS}). Publishes the model id as a gauge ({@code modelId}).
 */
public final class OutputEncoder extends ProcessFunction<LineOutput, OutboundRecord> {
    private static final long serialVersionUID = 1L;

    /** The control events, encoded and keyed by line. */
    public static final OutputTag<OutboundRecord> CONTROL_EVENTS =
            new OutputTag<>("control-events", TypeInformation.of(OutboundRecord.class));

    static final String MODEL_ID_GAUGE = "modelId";

    private final String modelId;
    private final ScoreRecords scores;
    private final AvroCodec<AnomalyScore> scoreCodec = AvroCodec.anomalyScores();
    private final AvroCodec<ControlEvent> eventCodec = AvroCodec.controlEvents();

    public OutputEncoder(String modelId) {
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.scores = new ScoreRecords(modelId);
    }

    @Override
    public void open(OpenContext openContext) {
        getRuntimeContext().getMetricGroup().gauge(MODEL_ID_GAUGE, (Gauge<String>) () -> modelId);
    }

    @Override
    public void processElement(LineOutput output, Context context, Collector<OutboundRecord> out) {
        byte[] key = RecordIds.lineKey(output.lineId());
        if (output.isScore()) {
            out.collect(new OutboundRecord(key, scoreCodec.encode(scores.of(output.score()))));
        } else {
            context.output(
                    CONTROL_EVENTS,
                    new OutboundRecord(
                            key, eventCodec.encode(ControlEventRecords.of(output.outcome()))));
        }
    }
}
