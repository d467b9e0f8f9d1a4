package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.CommandAction;
import io.inctrlstream.job.inference.CommandOrigin;
import io.inctrlstream.job.inference.FrameToScore;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.inference.RecordPosition;
import io.inctrlstream.job.inference.RecordProvenance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Serializer of the inputs in flight at a checkpoint ({@link PendingInput}, keyed list state {@code
 * line-pending-inputs}): frames with their image and record provenance, commands with their shot
 * images, origin and control position. Format 1 (strings are Flink strings, null allowed; byte
 * arrays are an int length, -1 for null, and the bytes; enums by name):
 *
 * <pre>
 * long timestamp | boolean hasTimestamp | byte kind (0 frame, 1 command)
 * frame:   lineId cameraId frameId | long captureTime | image | boolean provenance present,
 *          topic, int partition, long offset, bytes key, bytes valuePrefix, int valueSize,
 *          long receivedTime
 * command: commandId lineId | long issuedAt | issuedBy | action | int shot count, images |
 *          category | boolean threshold present, double | policy (as in line-settings) |
 *          origin principal, signingKeyId, refusal | position (as in line-command-log)
 * image:   encoding | int width | int height | bytes data
 * </pre>
 */
public final class PendingInputSerializer extends StateSerializer<PendingInput> {
    private static final long serialVersionUID = 1L;

    static final PendingInputSerializer INSTANCE = new PendingInputSerializer();

    private static final byte FRAME = 0;
    private static final byte COMMAND = 1;

    @Override
    protected int formatVersion() {
        return 1;
    }

    @Override
    public PendingInput createInstance() {
        return null;
    }

    @Override
    public void serialize(PendingInput pending, DataOutputView out) throws IOException {
        out.writeLong(pending.timestamp());
        out.writeBoolean(pending.hasTimestamp());
        LineInput input = pending.input();
        if (input.isFrame()) {
            out.writeByte(FRAME);
            writeFrame(input.frame(), out);
        } else {
            out.writeByte(COMMAND);
            writeCommand(input.command(), out);
        }
    }

    @Override
    public PendingInput deserialize(DataInputView in) throws IOException {
        long timestamp = in.readLong();
        boolean hasTimestamp = in.readBoolean();
        byte kind = in.readByte();
        LineInput input;
        if (kind == FRAME) {
            input = LineInput.of(readFrame(in));
        } else if (kind == COMMAND) {
            input = LineInput.of(readCommand(in));
        } else {
            throw new IOException(
                    "corrupt pending input: kind " + kind + ", expected 0 (frame) or 1 (command)");
        }
        return new PendingInput(input, timestamp, hasTimestamp);
    }

    private static void writeFrame(FrameToScore frame, DataOutputView out) throws IOException {
        StringValue.writeString(frame.lineId(), out);
        StringValue.writeString(frame.cameraId(), out);
        StringValue.writeString(frame.frameId(), out);
        out.writeLong(frame.captureTimeMillis());
        writeImage(frame.image(), out);
        RecordProvenance provenance = frame.provenance();
        out.writeBoolean(provenance != null);
        if (provenance != null) {
            StringValue.writeString(provenance.topic(), out);
            out.writeInt(provenance.partition());
            out.writeLong(provenance.offset());
            writeBytes(provenance.key(), out);
            writeBytes(provenance.valuePrefix(), out);
            out.writeInt(provenance.valueSize());
            out.writeLong(provenance.receivedTimeMillis());
        }
    }

    private static FrameToScore readFrame(DataInputView in) throws IOException {
        String lineId = StringValue.readString(in);
        String cameraId = StringValue.readString(in);
        String frameId = StringValue.readString(in);
        long capture = in.readLong();
        ImagePayload image = readImage(in);
        RecordProvenance provenance = null;
        if (in.readBoolean()) {
            provenance =
                    new RecordProvenance(
                            StringValue.readString(in),
                            in.readInt(),
                            in.readLong(),
                            readBytes(in),
                            readBytes(in),
                            in.readInt(),
                            in.readLong());
        }
        return new FrameToScore(lineId, cameraId, frameId, capture, image, provenance);
    }

    private static void writeCommand(LineCommand command, DataOutputView out) throws IOException {
        StringValue.writeString(command.commandId(), out);
        StringValue.writeString(command.lineId(), out);
        out.writeLong(command.issuedAtMillis());
        StringValue.writeString(command.issuedBy(), out);
        StringValue.writeString(command.action().name(), out);
        out.writeInt(command.shots().size());
        for (ImagePayload shot : command.shots()) {
            writeImage(shot, out);
        }
        StringValue.writeString(command.category(), out);
        out.writeBoolean(command.threshold() != null);
        if (command.threshold() != null) {
            out.writeDouble(command.threshold());
        }
        LineSettingsSerializer.writePolicy(command.alertPolicy(), out);
        CommandOrigin origin = command.origin();
        StringValue.writeString(origin.principal(), out);
        StringValue.writeString(origin.signingKeyId(), out);
        StringValue.writeString(origin.refusal(), out);
        CommandLogSerializer.writePosition(command.position(), out);
    }

    private static LineCommand readCommand(DataInputView in) throws IOException {
        String commandId = StringValue.readString(in);
        String lineId = StringValue.readString(in);
        long issuedAt = in.readLong();
        String issuedBy = StringValue.readString(in);
        CommandAction action = enumOf(CommandAction.class, StringValue.readString(in));
        int shotCount = in.readInt();
        if (shotCount < 0) {
            throw new IOException("corrupt pending command: " + shotCount + " shots");
        }
        List<ImagePayload> shots = new ArrayList<>(shotCount);
        for (int i = 0; i < shotCount; i++) {
            shots.add(readImage(in));
        }
        String category = StringValue.readString(in);
        Double threshold = in.readBoolean() ? in.readDouble() : null;
        io.inctrlstream.job.inference.AlertPolicy policy = LineSettingsSerializer.readPolicy(in);
        CommandOrigin origin =
                new CommandOrigin(
                        StringValue.readString(in),
                        StringValue.readString(in),
                        StringValue.readString(in));
        RecordPosition position = CommandLogSerializer.readPosition(in);
        return new LineCommand(
                commandId, lineId, issuedAt, issuedBy, action, shots, category, threshold, policy,
                origin, position);
    }

    static void writeImage(ImagePayload image, DataOutputView out) throws IOException {
        StringValue.writeString(image.encoding().name(), out);
        out.writeInt(image.width());
        out.writeInt(image.height());
        writeBytes(image.data(), out);
    }

    static ImagePayload readImage(DataInputView in) throws IOException {
        ImageEncoding encoding = enumOf(ImageEncoding.class, StringValue.readString(in));
        int width = in.readInt();
        int height = in.readInt();
        byte[] data = readBytes(in);
        if (data == null) {
            throw new IOException("corrupt pending image: no data");
        }
        return new ImagePayload(encoding, width, height, data);
    }

    static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < -1) {
            throw new IOException("corrupt byte array length " + length);
        }
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name) throws IOException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(
                    "corrupt pending input: " + name + " is no " + type.getSimpleName(), e);
        }
    }

    @Override
    public TypeSerializerSnapshot<PendingInput> snapshotConfiguration() {
        return new PendingInputSerializerSnapshot();
    }

    /** The snapshot of {@link PendingInputSerializer}: its format version. */
    public static final class PendingInputSerializerSnapshot extends Snapshot<PendingInput> {
        public PendingInputSerializerSnapshot() {
            super(INSTANCE);
        }
    }
}
