package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.AlertPolicy;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.RecordPosition;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A line's applied state as a {@link LineState} record of the line-state topic, and back: the
 * settings, the bank exactly as stored, the shot images it was built from (when known), and the
 * command log.
 */
final class LineStateRecords {
    private final AvroCodec<LineState> codec = AvroCodec.lineStates();

    /**
     * A line's state decoded from its record.
     *
     * @param lineId the line
     * @param modelId the model whose bank it is
     * @param settings the settings
     * @param bank the bank as stored, or null when the line has no shots
     * @param shots the shot images the bank was built from, or null when the record holds none
     * @param log the recently applied commands
     */
    record Line(
            String lineId,
            String modelId,
            LineSettings settings,
            byte[] bank,
            List<ImagePayload> shots,
            CommandLog log) {}

    /** The encoded record of a line's state (without the per-thread buffer of the codec). */
    byte[] encode(
            String lineId,
            String modelId,
            LineSettings settings,
            byte[] bank,
            List<ImagePayload> shots,
            CommandLog log,
            long nowMillis) {
        AlertPolicy policy = settings.alertPolicy();
        RecordPosition position = log.lastPosition();
        LineState record =
                LineState.newBuilder()
                        .setLineId(lineId)
                        .setModelId(modelId)
                        .setShotsVersion(settings.shotsVersion())
                        .setShotCount(settings.shotCount())
                        .setBank(bank == null ? null : ByteBuffer.wrap(bank))
                        .setShots(
                                shots == null
                                        ? null
                                        : shots.stream()
                                                .map(LineStateRecords::frameImage)
                                                .collect(Collectors.toList()))
                        .setCategory(settings.category())
                        .setThreshold(settings.threshold())
                        .setAlertPolicy(
                                policy == null
                                        ? null
                                        : io.inctrlstream.schema.AlertPolicy.newBuilder()
                                                .setMinAnomalous(policy.anomalousFrames())
                                                .setWindow(policy.windowFrames())
                                                .setCooldownMillis(policy.cooldownMillis())
                                                .build())
                        .setRecentCommandIds(log.recentIds())
                        .setLastControl(
                                position == null
                                        ? null
                                        : io.inctrlstream.schema.RecordPosition.newBuilder()
                                                .setTopic(position.topic())
                                                .setPartition(position.partition())
                                                .setOffset(position.offset())
                                                .build())
                        .setUpdatedTime(Instant.ofEpochMilli(nowMillis))
                        .build();
        long shotBytes =
                shots == null ? 0 : shots.stream().mapToLong(shot -> shot.data().length).sum();
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(
                        (int)
                                Math.min(
                                        Integer.MAX_VALUE - 8,
                                        (bank == null ? 0 : bank.length) + shotBytes + 1024));
        try {
            codec.encode(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * The line state in {@code value}.
     *
     * @throws SchemaDecodeException if it is not a LineState record
     * @throws IllegalArgumentException if the record contradicts itself (shots without bank, more
     *     command ids than a line keeps)
     */
    Line decode(byte[] value) throws SchemaDecodeException {
        LineState record = codec.decode(value);
        ByteBuffer bankBuffer = record.getBank();
        byte[] bank = null;
        if (bankBuffer != null) {
            bank = new byte[bankBuffer.remaining()];
            bankBuffer.duplicate().get(bank);
        }
        if ((record.getShotCount() > 0) != (bank != null && bank.length > 0)) {
            throw inconsistent(record, (bank == null ? "no" : bank.length + " bytes of") + " bank");
        }
        List<ImagePayload> shots = null;
        if (record.getShots() != null) {
            if (record.getShots().size() != record.getShotCount()) {
                throw inconsistent(record, record.getShots().size() + " shot images");
            }
            shots = new ArrayList<>(record.getShots().size());
            for (FrameImage image : record.getShots()) {
                shots.add(payload(image));
            }
        }
        io.inctrlstream.schema.AlertPolicy policy = record.getAlertPolicy();
        LineSettings settings =
                new LineSettings(
                        record.getThreshold(),
                        record.getCategory(),
                        policy == null
                                ? null
                                : new AlertPolicy(
                                        policy.getMinAnomalous(),
                                        policy.getWindow(),
                                        policy.getCooldownMillis()),
                        record.getShotsVersion(),
                        record.getShotCount());
        io.inctrlstream.schema.RecordPosition last = record.getLastControl();
        List<String> ids = record.getRecentCommandIds();
        CommandLog log =
                new CommandLog(
                        ids.subList(
                                Math.max(0, ids.size() - CommandLog.MAX_RECENT_IDS), ids.size()),
                        last == null
                                ? null
                                : new RecordPosition(
                                        last.getTopic(), last.getPartition(), last.getOffset()));
        return new Line(record.getLineId(), record.getModelId(), settings, bank, shots, log);
    }

    private static FrameImage frameImage(ImagePayload image) {
        return FrameImage.newBuilder()
                .setEncoding(io.inctrlstream.schema.ImageEncoding.valueOf(image.encoding().name()))
                .setWidth(image.width())
                .setHeight(image.height())
                .setData(ByteBuffer.wrap(image.data()))
                .build();
    }

    /** The image as the job accepted it from a command (the record is the job's own). */
    private static ImagePayload payload(FrameImage image) {
        ByteBuffer data = image.getData();
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return new ImagePayload(
                ImageEncoding.valueOf(image.getEncoding().name()),
                image.getWidth(),
                image.getHeight(),
                bytes);
    }

    private static IllegalArgumentException inconsistent(LineState record, String found) {
        return new IllegalArgumentException(
                "line "
                        + record.getLineId()
                        + " has "
                        + record.getShotCount()
                        + " shots but "
                        + found);
    }
}
