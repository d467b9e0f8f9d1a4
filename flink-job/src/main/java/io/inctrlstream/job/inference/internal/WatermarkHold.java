package io.inctrlstream.job.inference.internal;

import java.util.ArrayDeque;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Holds a watermark back until every input that arrived before it has been emitted, so that the
 * operator's outputs (delayed by inference, emitted out of order across lines) are never late
 * relative to the watermarks it forwards. Task thread only.
 */
final class WatermarkHold {
    private record Held(long afterSequence, Watermark watermark) {}

    private final TreeSet<Long> outstanding = new TreeSet<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final Consumer<Watermark> emitter;

    WatermarkHold(Consumer<Watermark> emitter) {
        this.emitter = emitter;
    }

    void accepted(long sequence) {
        outstanding.add(sequence);
    }

    void emitted(long sequence) {
        outstanding.remove(sequence);
        release();
    }

    /** A watermark that arrived after the input numbered {@code lastSequence}. */
    void watermark(Watermark watermark, long lastSequence) {
        if (outstanding.isEmpty() && held.isEmpty()) {
            emitter.accept(watermark);
        } else {
            held.addLast(new Held(lastSequence, watermark));
            release();
        }
    }

    private void release() {
        while (!held.isEmpty()
                && (outstanding.isEmpty()
                        || outstanding.first() > held.peekFirst().afterSequence())) {
            emitter.accept(held.pollFirst().watermark());
        }
    }
}
