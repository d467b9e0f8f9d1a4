package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.AlertPolicy;
import io.inctrlstream.job.inference.RecordPosition;
import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * A line's applied state as a {@link LineState} record of the line-state topic, and back: the
 * settings, the bank exactly as stored, and the command log.
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
     * @param log the recently applied commands
     */
    record Line(
            String lineId, String modelId, LineSettings settings, byte[] bank, CommandLog log) {}

    /** The encoded record of a line's state (without the per-thread buffer of the codec). */
    byte[] encode(
            String lineId,
            String modelId,
            LineSettings settings,
            byte[] bank,
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
        ByteArrayOutputStream out =
                new ByteArrayOutputStream((bank == null ? 0 : bank.length) + 1024);
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
            throw new IllegalArgumentException(
                    "line "
                            + record.getLineId()
                            + " has "
                            + record.getShotCount()
                            + " shots but "
                            + (bank == null ? "no" : bank.length + " bytes of")
                            + " bank");
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
        return new Line(record.getLineId(), record.getModelId(), settings, bank, log);
    }
}
