package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.internal.LineMetricGroups;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;

/**
 * The alert stage's metrics: counters {@code anomalousFrames} and {@code alerts}, in total and per
 * line (group {@code line = <lineId>}). Only scored frames count, so only lines with shots get
 * per-line counters, at most the configured number of lines; a line's counters are removed when its
 * shots are cleared (see {@link LineMetricGroups}). Task thread only.
 */
final class AlertMetrics {
    static final String ALERTS = "alerts";
    static final String ANOMALOUS_FRAMES = "anomalousFrames";

    /** One line's counters. */
    private static final class LineCounters implements LineMetricGroups.PerLine {
        final Counter anomalousFrames = new SimpleCounter();
        final Counter alerts = new SimpleCounter();

        @Override
        public void registerIn(MetricGroup lineGroup) {
            lineGroup.counter(ANOMALOUS_FRAMES, anomalousFrames);
            lineGroup.counter(ALERTS, alerts);
        }
    }

    private final Counter alerts;
    private final Counter anomalousFrames;
    private final LineMetricGroups<LineCounters> lines;

    AlertMetrics(MetricGroup group, int maxLinesWithMetrics) {
        this.alerts = group.counter(ALERTS);
        this.anomalousFrames = group.counter(ANOMALOUS_FRAMES);
        this.lines =
                new LineMetricGroups<>(group, maxLinesWithMetrics, lineId -> new LineCounters());
    }

    void anomalousFrame(String lineId) {
        anomalousFrames.inc();
        LineCounters line = lines.line(lineId);
        if (line != null) {
            line.anomalousFrames.inc();
        }
    }

    void alert(String lineId) {
        alerts.inc();
        LineCounters line = lines.line(lineId);
        if (line != null) {
            line.alerts.inc();
        }
    }

    /** The line has no shots any more: its counters go. */
    void lineWithoutShots(String lineId) {
        lines.remove(lineId);
    }
}
