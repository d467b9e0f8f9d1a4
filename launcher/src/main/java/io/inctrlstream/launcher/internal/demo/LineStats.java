package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import java.util.Arrays;

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
                lastAnomalous);
    }

    /** How a frame was answered. */
    enum ScoreKind {
        SCORED,
        NO_REFERENCE,
        FAILED
    }
}
