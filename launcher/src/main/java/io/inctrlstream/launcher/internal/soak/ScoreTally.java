package io.inctrlstream.launcher.internal.soak;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Which frames were sent (acknowledged by Kafka) and which have a committed score, per line, by
 * frame sequence number: the soak's account of "every frame scored exactly once". Thread-safe (the
 * cameras' callbacks and the score reader write, the monitor reads).
 */
final class ScoreTally {
    private final Map<String, Line> lines = new HashMap<>();
    private long sendFailures;
    private long duplicates;
    private long notScored;
    private long foreign;

    /** Frame {@code sequence} of {@code lineId} is in the frames topic. */
    synchronized void sent(String lineId, long sequence) {
        line(lineId).sent.set(index(sequence));
    }

    /** A frame could not be sent (Kafka refused it): it is not expected to be scored. */
    synchronized void sendFailed() {
        sendFailures++;
    }

    /**
     * A committed score of frame {@code sequence} of {@code lineId}; {@code scored} is false for a
     * score that is not SCORED (FAILED, NO_SHOTS ...), which a soak of good frames must not see.
     */
    synchronized void scored(String lineId, long sequence, boolean scored) {
        Line line = line(lineId);
        int index = index(sequence);
        if (line.scored.get(index)) {
            duplicates++;
        } else {
            line.scored.set(index);
        }
        if (!scored) {
            notScored++;
        }
    }

    /** A committed score whose frame id is not one of the soak's. */
    synchronized void foreign() {
        foreign++;
    }

    /** The counts now. */
    synchronized Counts counts() {
        long sent = 0;
        long scored = 0;
        long missing = 0;
        long unexpected = 0;
        for (Line line : lines.values()) {
            sent += line.sent.cardinality();
            scored += line.scored.cardinality();
            BitSet notScoredYet = (BitSet) line.sent.clone();
            notScoredYet.andNot(line.scored);
            missing += notScoredYet.cardinality();
            BitSet notSent = (BitSet) line.scored.clone();
            notSent.andNot(line.sent);
            unexpected += notSent.cardinality();
        }
        return new Counts(
                sent, sendFailures, scored, missing, duplicates, notScored, unexpected + foreign);
    }

    private Line line(String lineId) {
        return lines.computeIfAbsent(lineId, id -> new Line());
    }

    private static int index(long sequence) {
        if (sequence < 0 || sequence > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "frame sequence must be 0.." + Integer.MAX_VALUE + ", found " + sequence);
        }
        return (int) sequence;
    }

    private static final class Line {
        final BitSet sent = new BitSet();
        final BitSet scored = new BitSet();
    }

    /**
     * The soak's frame account.
     *
     * @param sent frames acknowledged by Kafka
     * @param sendFailures frames Kafka refused (not expected to be scored)
     * @param scored sent or not, frames with at least one committed score
     * @param missing sent frames without a committed score (yet)
     * @param duplicates committed scores beyond the first of a frame
     * @param notScored committed scores that are not SCORED
     * @param unexpected committed scores of frames never acknowledged as sent, or not the soak's
     */
    record Counts(
            long sent,
            long sendFailures,
            long scored,
            long missing,
            long duplicates,
            long notScored,
            long unexpected) {
        /** Every sent frame has exactly one committed SCORED score, and nothing else was scored. */
        boolean exactlyOnce() {
            return missing == 0 && duplicates == 0 && notScored == 0 && unexpected == 0;
        }
    }
}
