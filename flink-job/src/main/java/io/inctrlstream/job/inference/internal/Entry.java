package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.inference.LineOutput;

/** One accepted input in its line's queue, from arrival until its output is emitted. */
final class Entry {
    enum Stage {
        /** Accepted; waits for an earlier command of its line to finish. */
        WAITING,
        /** Being scored, or (a command) being applied. */
        RUNNING,
        /** Answered; waits for the earlier entries of its line to be emitted. */
        DONE
    }

    final long sequence;
    final LineInput input;
    final long timestamp;
    final boolean hasTimestamp;

    /**
     * Whether this is not an input but the job rebuilding the line's bank from its stored shot
     * images for another model (restored from a checkpoint of that model): it has no outcome and is
     * not checkpointed, since a restore finds the line to rebuild again.
     */
    final boolean bankRebuild;

    private Stage stage = Stage.WAITING;
    private LineOutput output;

    Entry(long sequence, LineInput input, long timestamp, boolean hasTimestamp) {
        this(sequence, input, timestamp, hasTimestamp, false);
    }

    private Entry(
            long sequence,
            LineInput input,
            long timestamp,
            boolean hasTimestamp,
            boolean bankRebuild) {
        this.sequence = sequence;
        this.input = input;
        this.timestamp = timestamp;
        this.hasTimestamp = hasTimestamp;
        this.bankRebuild = bankRebuild;
    }

    /** A bank rebuild: {@code command} is the job's own SET_SHOTS of the line's stored shots. */
    static Entry bankRebuild(long sequence, LineInput command) {
        if (command.isFrame()) {
            throw new IllegalArgumentException("a bank rebuild is a command, found a frame");
        }
        return new Entry(sequence, command, 0L, false, true);
    }

    Stage stage() {
        return stage;
    }

    boolean isFrame() {
        return input.isFrame();
    }

    void markRunning() {
        if (stage != Stage.WAITING) {
            throw new IllegalStateException("only a waiting entry can start, this one is " + stage);
        }
        stage = Stage.RUNNING;
    }

    /**
     * Answers the entry with nothing to emit: a command the line answered before (replayed from the
     * control topic), which must not get a second outcome.
     */
    void skip() {
        complete(null);
    }

    /** Whether the entry is answered with an output ({@code false} after {@link #skip()}). */
    boolean hasOutput() {
        return output != null;
    }

    void complete(LineOutput result) {
        if (stage == Stage.DONE) {
            throw new IllegalStateException(
                    "entry " + sequence + " of line " + input.lineId() + " completed twice");
        }
        stage = Stage.DONE;
        output = result;
    }

    LineOutput output() {
        return output;
    }

    PendingInput toPending() {
        if (bankRebuild) {
            throw new IllegalStateException(
                    "the bank rebuild of line " + input.lineId() + " is not an input to keep");
        }
        return new PendingInput(input, timestamp, hasTimestamp);
    }
}
