package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.FrameScore;
import io.inctrlstream.job.inference.ImageFailure;
import io.inctrlstream.job.inference.LineOutput;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.util.EnumSet;
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
 * #CONTROL_EVENTS}). A frame whose image did not decode gets, besides its FAILED score, a {@link
 * DeadLetter} of its input record (side output {@link #DEAD_LETTERS}, keyed by the record's key),
 * counted by reason like the decode stage's. Publishes the model id as the label of an info metric
 * ({@code model.<id>.info}, 1).
 */
public final class OutputEncoder extends ProcessFunction<LineOutput, OutboundRecord> {
    private static final long serialVersionUID = 1L;

    /** The control events, encoded and keyed by line. */
    public static final OutputTag<OutboundRecord> CONTROL_EVENTS =
            new OutputTag<>("control-events", TypeInformation.of(OutboundRecord.class));

    /** The dead letters of frames whose image did not decode, keyed by the record's key. */
    public static final OutputTag<OutboundRecord> DEAD_LETTERS =
            new OutputTag<>("image-dead-letters", TypeInformation.of(OutboundRecord.class));

    static final String MODEL_GROUP = "model";
    static final String INFO_GAUGE = "info";

    private final String modelId;
    private final ScoreRecords scores;
    private final AvroCodec<AnomalyScore> scoreCodec = AvroCodec.anomalyScores();
    private final AvroCodec<ControlEvent> eventCodec = AvroCodec.controlEvents();
    private final DeadLetters deadLetters = new DeadLetters();
    private transient DeadLetterCounters deadLettersByReason;

    public OutputEncoder(String modelId) {
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.scores = new ScoreRecords(modelId);
    }

    @Override
    public void open(OpenContext openContext) {
        // An info metric (the model id as a label); a string gauge would export as 0.
        getRuntimeContext()
                .getMetricGroup()
                .addGroup(MODEL_GROUP, modelId)
                .gauge(INFO_GAUGE, (Gauge<Integer>) () -> 1);
        EnumSet<DeadLetterReason> reasons = EnumSet.noneOf(DeadLetterReason.class);
        for (ImageFailure failure : ImageFailure.values()) {
            reasons.add(DeadLetters.reasonOf(failure));
        }
        deadLettersByReason = new DeadLetterCounters(getRuntimeContext().getMetricGroup(), reasons);
    }

    @Override
    public void processElement(LineOutput output, Context context, Collector<OutboundRecord> out) {
        byte[] key = RecordIds.lineKey(output.lineId());
        if (output.isScore()) {
            FrameScore score = output.score();
            out.collect(new OutboundRecord(key, scoreCodec.encode(scores.of(score))));
            if (score.imageFailure() != null && score.provenance() != null) {
                DeadLetterReason reason = DeadLetters.reasonOf(score.imageFailure());
                deadLettersByReason.count(reason);
                context.output(
                        DEAD_LETTERS,
                        deadLetters.encode(score.provenance(), reason, imageMessage(score)));
            }
        } else {
            context.output(
                    CONTROL_EVENTS,
                    new OutboundRecord(
                            key, eventCodec.encode(ControlEventRecords.of(output.outcome()))));
        }
    }

    /** What a frame's image dead letter says: the frame, and the image decoder's reason. */
    static String imageMessage(FrameScore score) {
        return "the image of frame "
                + Decoding.quote(score.frameId())
                + " of line "
                + Decoding.quote(score.lineId())
                + " does not decode: "
                + score.failureReason();
    }
}
