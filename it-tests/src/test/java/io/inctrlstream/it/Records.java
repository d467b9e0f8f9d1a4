package io.inctrlstream.it;

import io.inctrlstream.schema.AddShots;
import io.inctrlstream.schema.ClearShots;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.SetShots;
import io.inctrlstream.schema.SetThreshold;
import io.inctrlstream.schema.codec.AvroCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** The Avro records the tests send (built with the schema classes), and broken record bytes. */
final class Records {
    static final long CAPTURE_BASE = 1_700_000_000_000L;

    private static final AvroCodec<Frame> FRAMES = AvroCodec.frames();
    private static final AvroCodec<ControlCommand> COMMANDS = AvroCodec.controlCommands();
    private static final AvroCodec<ControlEvent> EVENTS = AvroCodec.controlEvents();

    /** Frames get increasing capture times, 100 ms apart. */
    private static final AtomicLong CAPTURES = new AtomicLong();

    private Records() {}

    static FrameImage image(ImageEncoding encoding, int width, int height, byte[] data) {
        return FrameImage.newBuilder()
                .setEncoding(encoding)
                .setWidth(width)
                .setHeight(height)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    static FrameImage png(byte[] data) {
        return image(ImageEncoding.PNG, Images.SIDE, Images.SIDE, data);
    }

    /** {@code count} normal shots, each a slightly different part. */
    static List<FrameImage> shots(int count, int firstVariant) {
        List<FrameImage> shots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shots.add(png(Images.png(firstVariant + i)));
        }
        return shots;
    }

    static Frame frame(String lineId, String frameId, FrameImage image) {
        return Frame.newBuilder()
                .setLineId(lineId)
                .setCameraId(lineId + "-camera")
                .setFrameId(frameId)
                .setCaptureTime(
                        Instant.ofEpochMilli(CAPTURE_BASE + 100 * CAPTURES.getAndIncrement()))
                .setImage(image)
                .setAttributes(Map.of())
                .build();
    }

    /** A frame of a normal part (the variant follows the frame id, so frames differ). */
    static Frame goodFrame(String lineId, String frameId) {
        return frame(lineId, frameId, png(Images.png(Math.floorMod(frameId.hashCode(), 5))));
    }

    static ControlCommand command(String lineId, String commandId, Object action) {
        return ControlCommand.newBuilder()
                .setCommandId(commandId)
                .setLineId(lineId)
                .setIssuedAt(Instant.ofEpochMilli(CAPTURE_BASE))
                .setIssuedBy("it-tests")
                .setAction(action)
                .build();
    }

    static SetShots setShots(List<FrameImage> images) {
        return SetShots.newBuilder().setImages(images).setCategory(null).build();
    }

    static AddShots addShots(List<FrameImage> images) {
        return AddShots.newBuilder().setImages(images).build();
    }

    static ClearShots clearShots() {
        return ClearShots.newBuilder().build();
    }

    static SetThreshold setThreshold(double threshold) {
        return SetThreshold.newBuilder().setThreshold(threshold).build();
    }

    static byte[] encode(Frame frame) {
        return FRAMES.encode(frame);
    }

    static byte[] encode(ControlCommand command) {
        return COMMANDS.encode(command);
    }

    /**
     * A record in Avro single-object encoding whose schema fingerprint names no schema the job
     * knows (here: a ControlEvent, a record of ours but not of the frames topic).
     */
    static byte[] controlEventBytes(String lineId) {
        return EVENTS.encode(
                ControlEvent.newBuilder()
                        .setEventId("stray/event")
                        .setCommandId("stray")
                        .setLineId(lineId)
                        .setActionType(io.inctrlstream.schema.ControlActionType.CLEAR_SHOTS)
                        .setOutcome(ControlOutcome.APPLIED)
                        .setReason(null)
                        .setShotsVersion(0)
                        .setShotCount(0)
                        .setAppliedTime(Instant.ofEpochMilli(CAPTURE_BASE))
                        .build());
    }

    /** The single-object header with a fingerprint no schema has, followed by {@code body}. */
    static byte[] unknownFingerprint(byte[] body) {
        ByteBuffer buffer = ByteBuffer.allocate(10 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0xC3).put((byte) 0x01).putLong(0x0123456789ABCDEFL).put(body);
        return buffer.array();
    }

    /**
     * A command whose action union index points past the last branch: right header and fingerprint,
     * malformed body.
     */
    static byte[] commandWithActionBranchOutOfRange(String lineId, String commandId) {
        byte[] valid = encode(command(lineId, commandId, clearShots()));
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(prefix, null);
        try {
            encoder.writeString(commandId);
            encoder.writeString(lineId);
            encoder.writeLong(CAPTURE_BASE);
            encoder.writeString("it-tests");
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int unionIndexAt = 10 + prefix.size();
        if (valid[unionIndexAt] != 4) { // ClearShots is branch 2, zig-zag encoded as 4
            throw new IllegalStateException(
                    "expected the ClearShots branch index at byte " + unionIndexAt);
        }
        byte[] broken = valid.clone();
        broken[unionIndexAt] = 40; // branch 20 of 6
        return broken;
    }
}
