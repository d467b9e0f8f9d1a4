package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.LineInput;

/**
 * An input the operator had accepted but not yet answered when a checkpoint was taken, as kept in
 * the line's keyed state; re-run when the operator restores. Serialized by {@link
 * PendingInputSerializer}.
 *
 * @param input the input
 * @param timestamp the record's timestamp, meaningful only when {@code hasTimestamp}
 * @param hasTimestamp whether the record had a timestamp
 */
public record PendingInput(LineInput input, long timestamp, boolean hasTimestamp) {}
