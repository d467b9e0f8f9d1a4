package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.RawRecord;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The decode and validate stage: turns each raw record into a frame or a command for the inference
 * operator, or into a dead letter (side output {@link #DEAD_LETTERS}) with its reason. Nothing
 * thrown by decoding escapes, so no input record can restart the job. Counts dead letters by reason
 * (metric group {@code deadLetterReason}, counter {@code deadLetters}).
 */
public final class InputDecoder extends ProcessFunction<RawRecord, LineInput> {
    private static final long serialVersionUID = 1L;

    /** The dead letters, encoded and keyed by the original record's key. */
    public static final OutputTag<OutboundRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(OutboundRecord.class));

    private final InputLimits limits;
    private final FrameDecoding frames;
    private final CommandDecoding commands;
    private final DeadLetters deadLetters;
    private transient DeadLetterCounters deadLettersByReason;

    public InputDecoder(InputLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.frames = new FrameDecoding(limits.frameMaxBytes(), limits.maxPixels());
        this.commands = new CommandDecoding(limits.commandMaxBytes(), limits.maxPixels());
        this.deadLetters = new DeadLetters(limits.deadLetterMaxBytes());
    }

    @Override
    public void open(OpenContext openContext) {
        deadLettersByReason = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(RawRecord record, Context context, Collector<LineInput> out) {
        LineInput input;
        try {
            input = decode(record);
        } catch (RejectedRecordException e) {
            deadLettersByReason.count(e.reason());
            context.output(
                    DEAD_LETTERS,
                    deadLetters.encode(
                            record,
                            e.reason(),
                            e.getMessage(),
                            context.timerService().currentProcessingTime()));
            return;
        } catch (RuntimeException e) {
            // Decoding is written not to throw; should a bug make it, the record still ends up
            // visible instead of failing the job in a restart loop.
            deadLettersByReason.count(DeadLetterReason.DECODING_FAILED);
            context.output(
                    DEAD_LETTERS,
                    deadLetters.encode(
                            record,
                            DeadLetterReason.DECODING_FAILED,
                            "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                            context.timerService().currentProcessingTime()));
            return;
        }
        out.collect(input);
    }

    private LineInput decode(RawRecord record) throws RejectedRecordException {
        if (record.topic().equals(limits.framesTopic())) {
            return LineInput.of(frames.decode(record.value()));
        }
        if (record.topic().equals(limits.controlTopic())) {
            return LineInput.of(commands.decode(record.value()));
        }
        throw new RejectedRecordException(
                DeadLetterReason.UNKNOWN_TOPIC,
                "record from topic "
                        + Decoding.quote(record.topic())
                        + ", expected the frames topic "
                        + Decoding.quote(limits.framesTopic())
                        + " or the control topic "
                        + Decoding.quote(limits.controlTopic()));
    }
}
