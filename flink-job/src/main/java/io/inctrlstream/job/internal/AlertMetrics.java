package io.inctrlstream.job.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The alert stage's metrics: counters {@code anomalousFrames} and {@code alerts}, in total and per
 * line (group {@code line = <lineId>}, registered when the line first shows up). Task thread only.
 */
final class AlertMetrics {
    static final String LINE_GROUP = "line";
    static final String ALERTS = "alerts";
    static final String ANOMALOUS_FRAMES = "anomalousFrames";

    private final MetricGroup group;
    private final Counter alerts;
    private final Counter anomalousFrames;
    private final Map<String, Counter[]> lines = new HashMap<>();

    AlertMetrics(MetricGroup group) {
        this.group = group;
        this.alerts = group.counter(ALERTS);
        this.anomalousFrames = group.counter(ANOMALOUS_FRAMES);
    }

    void anomalousFrame(String lineId) {
        anomalousFrames.inc();
        line(lineId)[0].inc();
    }

    void alert(String lineId) {
        alerts.inc();
        line(lineId)[1].inc();
    }

    private Counter[] line(String lineId) {
        return lines.computeIfAbsent(
                lineId,
                id -> {
                    MetricGroup lineGroup = group.addGroup(LINE_GROUP, id);
                    return new Counter[] {
                        lineGroup.counter(ANOMALOUS_FRAMES), lineGroup.counter(ALERTS)
                    };
                });
    }
}
