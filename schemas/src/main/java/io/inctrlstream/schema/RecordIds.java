package io.inctrlstream.schema;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Kafka keys and the deterministic record ids of our topics. Ids are derived from the input's ids
 * only, so a record produced again after a failure (at-least-once delivery) has the same id and
 * consumers can deduplicate on it.
 *
 * <p>Id parts are joined with {@code /}; a {@code %} or {@code /} inside a part is percent-encoded
 * ({@code %25}, {@code %2F}) so that different parts never give the same id.
 */
public final class RecordIds {
    /**
     * Most characters of a frame, camera or command id. The job copies them into every score, alert
     * and control event (the frame and command ids twice, with the derived ids), whose topics take
     * records of about 1 MB, so it refuses longer ones as dead letters rather than write a record
     * its topic would refuse.
     */
    public static final int MAX_INPUT_ID_LENGTH = 256;

    private RecordIds() {}

    /**
     * Why {@code id} cannot be a frame, camera or command id ({@code what}, e.g. "frame id of line
     * ..."): it is longer than {@link #MAX_INPUT_ID_LENGTH}; empty when it is not. Null and empty
     * ids are for the caller to judge.
     */
    public static Optional<String> inputIdProblem(String id, String what) {
        if (id == null || id.length() <= MAX_INPUT_ID_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(
                what
                        + " is too long: expected at most "
                        + MAX_INPUT_ID_LENGTH
                        + " characters, found "
                        + id.length()
                        + " ("
                        + ProducerText.quote(id)
                        + ")");
    }

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
