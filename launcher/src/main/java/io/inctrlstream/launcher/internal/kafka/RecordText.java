package io.inctrlstream.launcher.internal.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.ScoreStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Decoded records as readable one-liners or as JSON objects. */
public final class RecordText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordText() {}

    /** {@code 08:50:01.123 line-1 cam-1 f-000123 SCORED final=0.412 (hl ...) thr=0.36 ANOMALY}. */
    public static String line(AnomalyScore s) {
        StringBuilder b = new StringBuilder();
        b.append(s.getCaptureTime())
                .append(' ')
                .append(s.getLineId())
                .append(' ')
                .append(s.getCameraId())
                .append(' ')
                .append(s.getFrameId())
                .append(' ')
                .append(s.getStatus());
        if (s.getStatus() == ScoreStatus.SCORED) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            " final=%.4f hl=%.4f s_p=%.4f s_i=%.4f s_a=%.4f",
                            s.getFinalScore(),
                            s.getHolisticScore(),
                            s.getPatchScore(),
                            s.getImageScore(),
                            s.getTextScore()));
            if (s.getThreshold() != null) {
                b.append(String.format(Locale.ROOT, " threshold=%.4f", s.getThreshold()));
            }
            if (s.getAnomalous()) {
                b.append(" ANOMALOUS");
            }
        } else if (s.getStatus() == ScoreStatus.FAILED) {
            b.append(": ").append(s.getFailureReason());
        }
        b.append(" shots=v")
                .append(s.getShotsVersion())
                .append(" latency=")
                .append(s.getScoredTime().toEpochMilli() - s.getCaptureTime().toEpochMilli())
                .append("ms model=")
                .append(s.getModelId());
        return b.toString();
    }

    /** {@code 08:50:01.123 ALERT line-1 cam-1 f-000123 final=0.52 >= 0.36 (1 of last 1 ...)}. */
    public static String line(AnomalyAlert a) {
        return String.format(
                Locale.ROOT,
                "%s ALERT %s %s %s final=%.4f threshold=%.4f policy=\"%s\" heatmap=%d bytes"
                        + " shots=v%d",
                a.getCaptureTime(),
                a.getLineId(),
                a.getCameraId(),
                a.getFrameId(),
                a.getFinalScore(),
                a.getThreshold(),
                a.getPolicy(),
                a.getHeatmapPng().remaining(),
                a.getShotsVersion());
    }

    /** {@code 08:50:01.123 line-1 cmd-42 SET_SHOTS APPLIED shots=v2 (4 shots)}. */
    public static String line(ControlEvent e) {
        StringBuilder b = new StringBuilder();
        b.append(e.getAppliedTime())
                .append(' ')
                .append(e.getLineId())
                .append(' ')
                .append(e.getCommandId())
                .append(' ')
                .append(e.getActionType())
                .append(' ')
                .append(e.getOutcome());
        if (e.getReason() != null) {
            b.append(": ").append(e.getReason());
        }
        b.append(" shots=v")
                .append(e.getShotsVersion())
                .append(" (")
                .append(e.getShotCount())
                .append(e.getShotCount() == 1 ? " shot)" : " shots)");
        return b.toString();
    }

    /** {@code 08:50:01.123 frames[0]@42 key=line-1 NOT_SINGLE_OBJECT: ... (19 bytes)}. */
    public static String line(DeadLetter d) {
        String key =
                d.getKey() == null
                        ? "-"
                        : StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString();
        return String.format(
                Locale.ROOT,
                "%s %s[%d]@%d key=%s %s: %s (%d bytes%s)",
                d.getReceivedTime(),
                d.getSourceTopic(),
                d.getPartition(),
                d.getOffset(),
                key,
                d.getReasonCode(),
                d.getReason(),
                d.getOriginalSize(),
                d.getTruncated() ? ", truncated" : "");
    }

    /**
     * The record as a JSON object: times as ISO-8601 strings, enums by name, byte fields as {@code
     * {"bytes": n}} or, with {@code withBytes}, {@code {"bytes": n, "base64": "..."}}.
     */
    public static String json(SpecificRecord record, boolean withBytes) {
        try {
            return JSON.writeValueAsString(toJson(record, withBytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a record as JSON", e);
        }
    }

    private static Object toJson(Object value, boolean withBytes) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof Instant) {
            return value.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            Map<String, Object> bytes = new LinkedHashMap<>();
            bytes.put("bytes", buffer.remaining());
            if (withBytes) {
                byte[] copy = new byte[buffer.remaining()];
                buffer.duplicate().get(copy);
                bytes.put("base64", Base64.getEncoder().encodeToString(copy));
            }
            return bytes;
        }
        if (value instanceof SpecificRecord record) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                fields.put(field.name(), toJson(record.get(field.pos()), withBytes));
            }
            return fields;
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(toJson(item, withBytes));
            }
            return items;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            map.forEach((k, v) -> entries.put(String.valueOf(k), toJson(v, withBytes)));
            return entries;
        }
        return value.toString();
    }
}
