package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.RecordPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a line remembers of the commands applied to it, so that a command is applied at most once:
 * the ids of the most recent ones ({@link #MAX_RECENT_IDS}, oldest first) and the control-topic
 * position of the last one. Kept in its own keyed value, read only when a command starts.
 *
 * @param recentIds ids of the most recently applied commands, oldest first, at most {@link
 *     #MAX_RECENT_IDS}, without repeats
 * @param lastPosition where the last applied command with a known position is on the control topic,
 *     or null
 */
record CommandLog(List<String> recentIds, RecordPosition lastPosition) {
    /** How many applied command ids a line remembers. */
    static final int MAX_RECENT_IDS = 64;

    static final CommandLog EMPTY = new CommandLog(List.of(), null);

    CommandLog {
        recentIds = List.copyOf(Objects.requireNonNull(recentIds, "recentIds"));
        if (recentIds.size() > MAX_RECENT_IDS) {
            throw new IllegalArgumentException(
                    "a line remembers at most "
                            + MAX_RECENT_IDS
                            + " command ids, found "
                            + recentIds.size());
        }
    }

    /** Whether a command with this id was applied to the line recently. */
    boolean applied(String commandId) {
        return recentIds.contains(commandId);
    }

    /**
     * Whether the line has answered the command record at {@code position} already: it is at or
     * before the last applied command in the same partition, and the line's commands are answered
     * in their partition's order.
     */
    boolean answered(RecordPosition position) {
        return position != null && position.isAtOrBefore(lastPosition);
    }

    /** The log after applying the command {@code commandId} read at {@code position} (or null). */
    CommandLog withApplied(String commandId, RecordPosition position) {
        List<String> ids = new ArrayList<>(recentIds.size() + 1);
        for (String id : recentIds) {
            if (!id.equals(commandId)) {
                ids.add(id);
            }
        }
        ids.add(commandId);
        List<String> kept = ids.subList(Math.max(0, ids.size() - MAX_RECENT_IDS), ids.size());
        return new CommandLog(kept, position != null ? position : lastPosition);
    }
}
