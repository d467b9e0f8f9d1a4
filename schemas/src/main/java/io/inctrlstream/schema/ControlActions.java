package io.inctrlstream.schema;

/**
 * Names the action a {@link ControlCommand} carries. The generated {@link
 * ControlCommand#getAction()} is an {@code Object} (an Avro union of records); this maps it to the
 * {@link ControlActionType} that its {@link ControlEvent} reports.
 */
public final class ControlActions {
    private ControlActions() {}

    /** The type of an action; {@link ControlActionType#UNKNOWN} for null or anything else. */
    public static ControlActionType typeOf(Object action) {
        if (action instanceof SetShots) {
            return ControlActionType.SET_SHOTS;
        } else if (action instanceof AddShots) {
            return ControlActionType.ADD_SHOTS;
        } else if (action instanceof ClearShots) {
            return ControlActionType.CLEAR_SHOTS;
        } else if (action instanceof SetThreshold) {
            return ControlActionType.SET_THRESHOLD;
        } else if (action instanceof SetCategory) {
            return ControlActionType.SET_CATEGORY;
        } else if (action instanceof SetAlertPolicy) {
            return ControlActionType.SET_ALERT_POLICY;
        }
        return ControlActionType.UNKNOWN;
    }
}
