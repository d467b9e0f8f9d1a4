package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.AlertPolicy;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.job.inference.LineCommand.CommandHeader;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.schema.AddShots;
import io.inctrlstream.schema.ClearShots;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.SetAlertPolicy;
import io.inctrlstream.schema.SetCategory;
import io.inctrlstream.schema.SetShots;
import io.inctrlstream.schema.SetThreshold;
import io.inctrlstream.schema.codec.AvroCodec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a command record's bytes into a {@link LineCommand}, or says why it cannot: too large, not
 * one of our ControlCommand records, no command id, an invalid line id ({@code LineIds}), no known
 * action, or a shot image record that cannot be right. Whether the command can be applied to its
 * line (shot count, threshold range, policy) is the inference operator's decision, answered with a
 * ControlEvent.
 */
final class CommandDecoding implements Serializable {
    private static final long serialVersionUID = 1L;

    private final AvroCodec<ControlCommand> codec = AvroCodec.controlCommands();
    private final long maxBytes;
    private final long maxPixels;

    CommandDecoding(long maxBytes, long maxPixels) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    LineCommand decode(byte[] value) throws RejectedRecordException {
        Decoding.checkSize(value, maxBytes, DeadLetterReason.COMMAND_TOO_LARGE, "command");
        ControlCommand command = Decoding.decode(codec, value);
        return translate(command);
    }

    /** The job's form of a decoded command. */
    LineCommand translate(ControlCommand command) throws RejectedRecordException {
        String commandId = command.getCommandId();
        String lineId = command.getLineId();
        if (commandId == null || commandId.isEmpty()) {
            throw invalid("command of line " + Decoding.quote(lineId) + " has an empty command id");
        }
        Decoding.checkInputId(
                commandId,
                "command id of line " + Decoding.quote(lineId),
                DeadLetterReason.INVALID_COMMAND);
        Decoding.checkLineId(
                lineId, "command " + Decoding.quote(commandId), DeadLetterReason.INVALID_COMMAND);
        String what = "command " + Decoding.quote(commandId) + " of line " + Decoding.quote(lineId);
        CommandHeader header =
                new CommandHeader(
                        commandId,
                        lineId,
                        command.getIssuedAt() == null ? 0L : command.getIssuedAt().toEpochMilli(),
                        command.getIssuedBy());
        Object action = command.getAction();
        if (action instanceof SetShots setShots) {
            return LineCommand.setShots(
                    header, shots(setShots.getImages(), what), setShots.getCategory());
        } else if (action instanceof AddShots addShots) {
            return LineCommand.addShots(header, shots(addShots.getImages(), what));
        } else if (action instanceof ClearShots) {
            return LineCommand.clearShots(header);
        } else if (action instanceof SetThreshold setThreshold) {
            return LineCommand.setThreshold(header, setThreshold.getThreshold());
        } else if (action instanceof SetCategory setCategory) {
            return LineCommand.setCategory(header, setCategory.getCategory());
        } else if (action instanceof SetAlertPolicy setPolicy) {
            io.inctrlstream.schema.AlertPolicy policy = setPolicy.getPolicy();
            if (policy == null) {
                throw invalid(what + " sets an alert policy but carries none");
            }
            return LineCommand.setAlertPolicy(
                    header,
                    new AlertPolicy(
                            policy.getMinAnomalous(),
                            policy.getWindow(),
                            policy.getCooldownMillis()));
        }
        throw invalid(
                what
                        + " has "
                        + (action == null
                                ? "no action"
                                : "an unknown action of type " + action.getClass().getName())
                        + "; expected one of SetShots, AddShots, ClearShots, SetThreshold,"
                        + " SetCategory, SetAlertPolicy");
    }

    private List<ImagePayload> shots(List<FrameImage> images, String what)
            throws RejectedRecordException {
        if (images == null) {
            throw invalid(what + " carries no shot list");
        }
        List<ImagePayload> shots = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            FrameImage image = images.get(i);
            if (image == null) {
                throw invalid(what + ": shot image " + i + " is missing");
            }
            try {
                shots.add(
                        ImageChecks.payload(
                                image,
                                what + ": shot image " + i,
                                maxPixels,
                                DeadLetterReason.INVALID_COMMAND));
            } catch (RejectedRecordException e) {
                // An oversized shot makes the command unusable as a whole.
                throw invalid(e.getMessage());
            }
        }
        return shots;
    }

    private static RejectedRecordException invalid(String message) {
        return new RejectedRecordException(DeadLetterReason.INVALID_COMMAND, message);
    }
}
