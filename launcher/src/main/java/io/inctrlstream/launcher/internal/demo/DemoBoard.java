package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every line's figures, the latest alerts and the dead letters: what the live view shows. */
final class DemoBoard {
    private static final int RECENT_ALERTS = 5;

    private final Map<String, LineStats> lines = new LinkedHashMap<>();
    private final Deque<AlertNote> recentAlerts = new ArrayDeque<>();
    private final Map<String, Long> deadLetters = new TreeMap<>();
    private final InjectedDefects injected = new InjectedDefects(100_000);

    DemoBoard(Map<String, String> productsByLine) {
        productsByLine.forEach((line, product) -> lines.put(line, new LineStats(line, product)));
    }

    LineStats line(String lineId) {
        return lines.get(lineId);
    }

    InjectedDefects injected() {
        return injected;
    }

    void frameSent(String lineId, String frameId, Defect defect) {
        injected.put(lineId, frameId, defect);
        LineStats stats = lines.get(lineId);
        if (stats != null) {
            stats.frameSent(defect);
        }
    }

    synchronized void alert(AlertNote note) {
        recentAlerts.addFirst(note);
        while (recentAlerts.size() > RECENT_ALERTS) {
            recentAlerts.removeLast();
        }
        LineStats stats = lines.get(note.lineId());
        if (stats != null) {
            stats.alert(note.injected());
        }
    }

    synchronized void deadLetter(String reasonCode) {
        deadLetters.merge(reasonCode, 1L, Long::sum);
    }

    /** All lines' figures now, the latest alerts (newest first) and dead letters by reason. */
    synchronized Snapshot snapshot(long nowNanos) {
        List<LineSnapshot> figures = new ArrayList<>(lines.size());
        for (LineStats stats : lines.values()) {
            figures.add(stats.snapshot(nowNanos));
        }
        return new Snapshot(figures, List.copyOf(recentAlerts), Map.copyOf(deadLetters));
    }

    /** The board at one moment. */
    record Snapshot(
            List<LineSnapshot> lines, List<AlertNote> recentAlerts, Map<String, Long> deadLetters) {
        long deadLetterCount() {
            return deadLetters.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
