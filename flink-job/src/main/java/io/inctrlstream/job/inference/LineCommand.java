package io.inctrlstream.job.inference;

import java.util.List;
import java.util.Objects;

/**
 * A control command for one production line. Which of the optional fields matter depends on the
 * {@link #action()}: shots for {@code SET_SHOTS} and {@code ADD_SHOTS}, category for {@code
 * SET_CATEGORY} (and optionally {@code SET_SHOTS}), threshold for {@code SET_THRESHOLD}, alert
 * policy for {@code SET_ALERT_POLICY}. The operator validates the values and answers every command
 * with a {@link CommandOutcome}; use the static factories to build well-formed commands.
 *
 * @param commandId unique id of the command, echoed in its outcome
 * @param lineId the production line
 * @param issuedAtMillis when the command was issued, epoch milliseconds
 * @param issuedBy who issued it (free text, for the audit trail)
 * @param action what to do
 * @param shots shot images for {@code SET_SHOTS} / {@code ADD_SHOTS}; never null (empty otherwise)
 * @param category product category, or null
 * @param threshold anomaly threshold, or null
 * @param alertPolicy alert policy, or null
 * @param origin who wrote the command and whether that suffices to apply it (the decode stage sets
 *     it from the record's headers); never null, {@link CommandOrigin#UNATTRIBUTED} by default
 * @param position where the command's record is on the control topic, or null when unknown (then a
 *     replay of it is recognised by its command id only)
 */
public record LineCommand(
        String commandId,
        String lineId,
        long issuedAtMillis,
        String issuedBy,
        CommandAction action,
        List<ImagePayload> shots,
        String category,
        Double threshold,
        AlertPolicy alertPolicy,
        CommandOrigin origin,
        RecordPosition position) {
    public LineCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(action, "action");
        issuedBy = issuedBy == null ? "" : issuedBy;
        shots = shots == null ? List.of() : List.copyOf(shots);
        origin = origin == null ? CommandOrigin.UNATTRIBUTED : origin;
    }

    /** This command, written by {@code origin}. */
    public LineCommand withOrigin(CommandOrigin origin) {
        return new LineCommand(
                commandId,
                lineId,
                issuedAtMillis,
                issuedBy,
                action,
                shots,
                category,
                threshold,
                alertPolicy,
                origin,
                position);
    }

    /** This command, read from the control record at {@code position}. */
    public LineCommand withPosition(RecordPosition position) {
        return new LineCommand(
                commandId,
                lineId,
                issuedAtMillis,
                issuedBy,
                action,
                shots,
                category,
                threshold,
                alertPolicy,
                origin,
                position);
    }

    /** Replaces the line's shots; {@code category} may be null to keep the line's category. */
    public static LineCommand setShots(
            CommandHeader header, List<ImagePayload> shots, String category) {
        return header.command(CommandAction.SET_SHOTS, shots, category, null, null);
    }

    /** Appends shots to the line's shots. */
    public static LineCommand addShots(CommandHeader header, List<ImagePayload> shots) {
        return header.command(CommandAction.ADD_SHOTS, shots, null, null, null);
    }

    /** Removes all shots. */
    public static LineCommand clearShots(CommandHeader header) {
        return header.command(CommandAction.CLEAR_SHOTS, null, null, null, null);
    }

    /**
     * Sets the anomaly threshold. A negative zero becomes zero (adding 0.0 does that and changes no
     * other value), so that no state, event or metric ever shows a threshold of -0.0.
     */
    public static LineCommand setThreshold(CommandHeader header, double threshold) {
        return header.command(CommandAction.SET_THRESHOLD, null, null, threshold + 0.0, null);
    }

    /** Sets the product category. */
    public static LineCommand setCategory(CommandHeader header, String category) {
        return header.command(CommandAction.SET_CATEGORY, null, category, null, null);
    }

    /** Sets the alert policy. */
    public static LineCommand setAlertPolicy(CommandHeader header, AlertPolicy policy) {
        return header.command(CommandAction.SET_ALERT_POLICY, null, null, null, policy);
    }

    /**
     * The fields every command has, so that the factories above stay short.
     *
     * @param commandId unique id of the command
     * @param lineId the production line
     * @param issuedAtMillis when it was issued, epoch milliseconds
     * @param issuedBy who issued it
     */
    public record CommandHeader(
            String commandId, String lineId, long issuedAtMillis, String issuedBy) {
        LineCommand command(
                CommandAction action,
                List<ImagePayload> shots,
                String category,
                Double threshold,
                AlertPolicy policy) {
            return new LineCommand(
                    commandId,
                    lineId,
                    issuedAtMillis,
                    issuedBy,
                    action,
                    shots,
                    category,
                    threshold,
                    policy,
                    CommandOrigin.UNATTRIBUTED,
                    null);
        }
    }
}
