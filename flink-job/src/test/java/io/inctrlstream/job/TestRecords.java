package io.inctrlstream.job;

import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.schema.AddShots;
import io.inctrlstream.schema.AlertPolicy;
import io.inctrlstream.schema.ClearShots;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.SetAlertPolicy;
import io.inctrlstream.schema.SetShots;
import io.inctrlstream.schema.SetThreshold;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders of the Avro records the job reads, and of raw Kafka-like records carrying them. */
public final class TestRecords {
    public static final String FRAMES = "frames";
    public static final String CONTROL = "control";
    public static final long CAPTURE_BASE = 1_700_000_000_000L;

    private static final AvroCodec<Frame> FRAME_CODEC = AvroCodec.frames();
    private static final AvroCodec<ControlCommand> COMMAND_CODEC = AvroCodec.controlCommands();

    private TestRecords() {}

    public static FrameImage image(ImageEncoding encoding, int width, int height, byte[] data) {
        return FrameImage.newBuilder()
                .setEncoding(encoding)
                .setWidth(width)
                .setHeight(height)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    public static Frame frame(String lineId, String frameId, long captureOffset, FrameImage image) {
        return Frame.newBuilder()
                .setLineId(lineId)
                .setCameraId("camera-1")
                .setFrameId(frameId)
                .setCaptureTime(Instant.ofEpochMilli(CAPTURE_BASE + captureOffset))
                .setImage(image)
                .setAttributes(Map.of())
                .build();
    }

    public static byte[] encode(Frame frame) {
        return FRAME_CODEC.encode(frame);
    }

    public static byte[] encode(ControlCommand command) {
        return COMMAND_CODEC.encode(command);
    }

    public static ControlCommand command(String lineId, String commandId, Object action) {
        return ControlCommand.newBuilder()
                .setCommandId(commandId)
                .setLineId(lineId)
                .setIssuedAt(Instant.ofEpochMilli(CAPTURE_BASE))
                .setIssuedBy("tester")
                .setAction(action)
                .build();
    }

    public static SetShots setShots(List<FrameImage> images) {
        return SetShots.newBuilder().setImages(images).setCategory(null).build();
    }

    public static AddShots addShots(List<FrameImage> images) {
        return AddShots.newBuilder().setImages(images).build();
    }

    public static ClearShots clearShots() {
        return ClearShots.newBuilder().build();
    }

    public static SetThreshold setThreshold(double threshold) {
        return SetThreshold.newBuilder().setThreshold(threshold).build();
    }

    public static SetAlertPolicy setAlertPolicy(int k, int n, long cooldownMillis) {
        return SetAlertPolicy.newBuilder()
                .setPolicy(
                        AlertPolicy.newBuilder()
                                .setMinAnomalous(k)
                                .setWindow(n)
                                .setCooldownMillis(cooldownMillis)
                                .build())
                .build();
    }

    /**
     * A raw record as the Kafka source would emit it, keyed by {@code lineId} (unkeyed: null or
     * empty).
     */
    public static RawRecord raw(String topic, long offset, String lineId, byte[] value) {
        return new RawRecord(
                topic,
                0,
                offset,
                lineId == null || lineId.isEmpty() ? null : RecordIds.lineKey(lineId),
                value,
                CAPTURE_BASE + offset);
    }
}
