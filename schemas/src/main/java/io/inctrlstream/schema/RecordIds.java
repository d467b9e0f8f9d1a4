package io.inctrlstream.schema;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Kafka keys and the deterministic record ids of our topics. Ids are derived from the input's ids
 * only, so a record produced again after a failure (at-least-once delivery) has the same id and
 * consumers can deduplicate on it.
 *
 * <p>Id parts are joined with {@code /}; a {@code %} or {@code /} inside a part is percent-encoded
 * ({@code %25}, {@code %2F}) so that different parts never give the same id.
 */
public final class RecordIds {
    private RecordIds() {}

    /** The Kafka key of every record of a line: the line id in UTF-8. */
    public static byte[] lineKey(String lineId) {
        return requireNonEmpty(lineId, "lineId").getBytes(StandardCharsets.UTF_8);
    }

    /** {@link AnomalyScore#getScoreId()}: {@code lineId/frameId}. */
    public static String scoreId(String lineId, String frameId) {
        return escape(requireNonEmpty(lineId, "lineId"))
                + "/"
                + escape(requireNonEmpty(frameId, "frameId"));
    }

    /** {@link AnomalyAlert#getAlertId()}: {@code lineId/frameId/alert}. */
    public static String alertId(String lineId, String frameId) {
        return scoreId(lineId, frameId) + "/alert";
    }

    /** {@link ControlEvent#getEventId()}: {@code commandId/event}. */
    public static String controlEventId(String commandId) {
        return escape(requireNonEmpty(commandId, "commandId")) + "/event";
    }

    private static String escape(String part) {
        return part.replace("%", "%25").replace("/", "%2F");
    }

    private static String requireNonEmpty(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }
}
