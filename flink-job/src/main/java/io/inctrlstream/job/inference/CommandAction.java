package io.inctrlstream.job.inference;

/** What a {@link LineCommand} does to its line. */
public enum CommandAction {
    /** Replace the line's shots (and optionally its category) with new images. */
    SET_SHOTS,
    /** Append images to the line's shots. */
    ADD_SHOTS,
    /** Remove all shots: later frames get "no reference" until new shots are set. */
    CLEAR_SHOTS,
    /** Set the anomaly threshold in [0, 1]. */
    SET_THRESHOLD,
    /** Set the product category; re-derives the bank's text prototypes when shots exist. */
    SET_CATEGORY,
    /** Set the alert policy attached to the line's scores. */
    SET_ALERT_POLICY
}
