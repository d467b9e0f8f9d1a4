package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * One line's running figures, updated by the cameras and the output reader threads and read by the
 * live view. Thread-safe (every method is synchronized; they are all short).
 */
final class LineStats {
    private static final int LATENCY_WINDOW = 64;
    private static final long RATE_WINDOW_NANOS = 5_000_000_000L;
    private static final int RATE_SAMPLES = 1024;

    private final String lineId;
    private final String product;
    private double threshold = Double.NaN;
    private long framesSent;
    private long defectsInjected;
    private long scored;
    private long noReference;
    private long failed;
    private long anomalous;
    private long anomalousOnDefects;
    private long alerts;
    private long alertsOnDefects;
    private long droppedAtCamera;
    private long deadLetters;
    private long duplicates;
    private final BitSet answeredFrames = new BitSet();
    private final Set<String> answeredOtherIds = new HashSet<>();
    private double lastScore = Double.NaN;
    private boolean lastAnomalous;
    private final long[] latencies = new long[LATENCY_WINDOW];
    private int latencyCount;
    private final long[] answerTimes = new long[RATE_SAMPLES];
    private int answerCount;

    LineStats(String lineId, String product) {
        this.lineId = lineId;
        this.product = product;
    }

    synchronized void threshold(double value) {
        threshold = value;
    }

    synchronized void frameSent(Defect defect) {
        framesSent++;
        if (defect != Defect.NONE) {
            defectsInjected++;
        }
    }

    /** The camera skipped a frame: too many of the line's frames were still unanswered. */
    synchronized void droppedAtCamera() {
        droppedAtCamera++;
    }

    /** Frames sent that the job has answered neither with a score nor with a dead letter yet. */
    synchronized long unanswered() {
        return Math.max(0, framesSent - (scored + noReference + failed) - deadLetters);
    }

    /** A frame of the line that became a dead letter without a score. */
    synchronized void deadLetter() {
        deadLetters++;
    }

    /**
     * Whether this is the first answer to the frame; a replayed one (the job restarted and wrote
     * its score again) is counted as a duplicate and must not be counted again.
     */
    synchronized boolean firstAnswer(String frameId) {
        int number = CameraSimulator.frameNumber(frameId);
        boolean first;
        if (number >= 0) {
            first = !answeredFrames.get(number);
            answeredFrames.set(number);
        } else {
            first = answeredOtherIds.add(frameId);
        }
        if (!first) {
            duplicates++;
        }
        return first;
    }

    /** A score: status SCORED (with its final score), NO_REFERENCE or FAILED. */
    synchronized void scored(
            ScoreKind kind,
            double finalScore,
            boolean isAnomalous,
            Defect injected,
            long latencyMillis,
            long nowNanos) {
        switch (kind) {
            case SCORED -> {
                scored++;
                lastScore = finalScore;
                lastAnomalous = isAnomalous;
                if (isAnomalous) {
                    anomalous++;
                    if (injected != null && injected != Defect.NONE) {
                        anomalousOnDefects++;
                    }
                }
            }
            case NO_REFERENCE -> noReference++;
            case FAILED -> failed++;
        }
        latencies[latencyCount++ % LATENCY_WINDOW] = latencyMillis;
        answerTimes[answerCount++ % RATE_SAMPLES] = nowNanos;
    }

    synchronized void alert(Defect injected) {
        alerts++;
        if (injected != null && injected != Defect.NONE) {
            alertsOnDefects++;
        }
    }

    synchronized LineSnapshot snapshot(long nowNanos) {
        int recent = 0;
        int available = Math.min(answerCount, RATE_SAMPLES);
        for (int i = 0; i < available; i++) {
            long t = answerTimes[i];
            if (nowNanos - t <= RATE_WINDOW_NANOS) {
                recent++;
            }
        }
        double fps = recent == 0 ? 0 : recent / (RATE_WINDOW_NANOS / 1e9);
        long p50 = -1;
        long p95 = -1;
        int n = Math.min(latencyCount, LATENCY_WINDOW);
        if (n > 0) {
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            p50 = sorted[(int) Math.floor(0.50 * (n - 1))];
            p95 = sorted[(int) Math.ceil(0.95 * (n - 1))];
        }
        return new LineSnapshot(
                lineId,
                product,
                threshold,
                framesSent,
                defectsInjected,
                scored,
                noReference,
                failed,
                anomalous,
                anomalousOnDefects,
                alerts,
                alertsOnDefects,
                fps,
                p50,
                p95,
                lastScore,
                lastAnomalous,
                droppedAtCamera,
                deadLetters,
                duplicates);
    }

    /** How a frame was answered. */
    enum ScoreKind {
        SCORED,
        NO_REFERENCE,
        FAILED
    }
}
