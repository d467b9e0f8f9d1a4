package io.inctrlstream.job.internal;

import io.inctrlstream.job.CommandSignatureSettings;
import io.inctrlstream.job.inference.FrameToScore;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.inference.RecordProvenance;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.RawRecord;
import java.util.EnumSet;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The decode and validate stage: turns each raw record into a frame or a command for the inference
 * operator, or into a dead letter (side output {@link #DEAD_LETTERS}) with its reason. A frame or
 * command must be keyed by its line id (else {@code KEY_MISMATCH}), so that a line's records share
 * one partition and its order holds. Nothing thrown by decoding escapes, so no input record can
 * restart the job. Counts dead letters by reason (metric group {@code deadLetterReason}, counter
 * {@code deadLetters}).
 *
 * <p>A frame carries its record's provenance (value cut to the dead-letter maximum), for the dead
 * letter the output stage writes should its image not decode in the inference backend.
 */
public final class InputDecoder extends ProcessFunction<RawRecord, LineInput> {
    private static final long serialVersionUID = 1L;

    /** The dead letters, encoded and keyed by the original record's key. */
    public static final OutputTag<OutboundRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(OutboundRecord.class));

    private final InputLimits limits;
    private final FrameDecoding frames;
    private final CommandDecoding commands;
    private final CommandAuthentication authentication;
    private final DeadLetters deadLetters = new DeadLetters();
    private transient DeadLetterCounters deadLettersByReason;

    /** A decoder that checks no command signatures. */
    public InputDecoder(InputLimits limits) {
        this(limits, CommandSignatureSettings.NONE);
    }

    /**
     * A decoder that reads each command's principal header and checks its signature as {@code
     * signatures} say: a command that fails is passed on with a refusal in its {@link
     * LineCommand#origin()}, for the operator to answer REJECTED.
     */
    public InputDecoder(InputLimits limits, CommandSignatureSettings signatures) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.frames = new FrameDecoding(limits.frameMaxBytes(), limits.maxPixels());
        this.commands = new CommandDecoding(limits.commandMaxBytes(), limits.maxPixels());
        this.authentication = new CommandAuthentication(signatures);
    }

    @Override
    public void open(OpenContext openContext) {
        authentication.open();
        // Image failures are found later, by the inference backend, and counted by the output
        // stage.
        EnumSet<DeadLetterReason> reasons = EnumSet.noneOf(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            if (!reason.isImageFailure()) {
                reasons.add(reason);
            }
        }
        deadLettersByReason = new DeadLetterCounters(getRuntimeContext().getMetricGroup(), reasons);
    }

    @Override
    public void processElement(RawRecord record, Context context, Collector<LineInput> out) {
        long now = context.timerService().currentProcessingTime();
        LineInput input;
        try {
            input = decode(record, now);
        } catch (RejectedRecordException e) {
            deadLettersByReason.count(e.reason());
            context.output(
                    DEAD_LETTERS,
                    deadLetters.encode(provenance(record, now), e.reason(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            // Decoding is written not to throw; should a bug make it, the record still ends up
            // visible instead of failing the job in a restart loop.
            deadLettersByReason.count(DeadLetterReason.DECODING_FAILED);
            context.output(
                    DEAD_LETTERS,
                    deadLetters.encode(
                            provenance(record, now),
                            DeadLetterReason.DECODING_FAILED,
                            "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            return;
        }
        out.collect(input);
    }

    private RecordProvenance provenance(RawRecord record, long now) {
        return DeadLetters.provenance(record, limits.deadLetterMaxBytes(), now);
    }

    private LineInput decode(RawRecord record, long now) throws RejectedRecordException {
        if (record.topic().equals(limits.framesTopic())) {
            FrameToScore frame = frames.decode(record.value());
            Decoding.checkKey(
                    record.key(),
                    frame.lineId(),
                    "frame "
                            + Decoding.quote(frame.frameId())
                            + " of line "
                            + Decoding.quote(frame.lineId()));
            return LineInput.of(frame.withProvenance(provenance(record, now)));
        }
        if (record.topic().equals(limits.controlTopic())) {
            LineCommand command = commands.decode(record.value());
            Decoding.checkKey(
                    record.key(),
                    command.lineId(),
                    "command "
                            + Decoding.quote(command.commandId())
                            + " of line "
                            + Decoding.quote(command.lineId()));
            return LineInput.of(command.withOrigin(authentication.origin(record)));
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
