package io.inctrlstream.job.inference.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;

/**
 * Per-line metrics ({@code line.<lineId>.<name>}) for the lines that have applied state, at most a
 * fixed number of lines per subtask, removed again when a line loses its state: so that any number
 * of unknown line ids cannot grow the metrics. Lines beyond the cap get no metrics; the gauge
 * {@code linesWithoutMetrics} says how many.
 *
 * <p>Flink's {@link MetricGroup} has no way to remove a metric. A line's group is therefore closed
 * through the runtime's group class ({@link AbstractMetricGroup#close()}), which unregisters its
 * metrics from the reporters. A closed group stays known to its parent (the {@code line} group)
 * until a group of the same line is added again; when more closed groups than the cap have piled
 * up, the whole {@code line} group is closed and the live lines' metrics registered anew. Under any
 * other metric group (a test's, or a no-op one) the metrics of a removed line are only forgotten.
 *
 * <p>Task thread only; the gauge may be read from any thread.
 *
 * @param <T> a line's metrics
 */
public final class LineMetricGroups<T extends LineMetricGroups.PerLine> {
    /** The metrics of one line: counters, or the values its gauges read. */
    public interface PerLine {
        /** Registers the metrics in the line's group (again, after the line group was renewed). */
        void registerIn(MetricGroup lineGroup);
    }

    public static final String LINE_GROUP = "line";
    public static final String LINES_WITHOUT_METRICS = "linesWithoutMetrics";

    private final MetricGroup parent;
    private final int maxLines;
    private final Function<String, T> create;
    private final Map<String, T> lines = new HashMap<>();
    private final Map<String, MetricGroup> groups = new HashMap<>();
    private final Set<String> withoutMetrics = new HashSet<>();
    private volatile int withoutMetricsCount;
    private int closedGroups;

    /**
     * @param parent the operator's metric group
     * @param maxLines most lines with metrics
     * @param create a line's metrics, given its id
     */
    public LineMetricGroups(MetricGroup parent, int maxLines, Function<String, T> create) {
        if (maxLines < 0) {
            throw new IllegalArgumentException(
                    "the most lines with metrics must not be negative, found " + maxLines);
        }
        this.parent = Objects.requireNonNull(parent, "parent");
        this.maxLines = maxLines;
        this.create = Objects.requireNonNull(create, "create");
        parent.gauge(LINES_WITHOUT_METRICS, (Gauge<Integer>) () -> withoutMetricsCount);
    }

    /**
     * The metrics of a line with applied state, registered the first time (while fewer than the cap
     * have metrics); null for a line beyond the cap.
     */
    public T line(String lineId) {
        T metrics = lines.get(lineId);
        if (metrics != null) {
            return metrics;
        }
        if (lines.size() >= maxLines) {
            if (withoutMetrics.add(lineId)) {
                withoutMetricsCount = withoutMetrics.size();
            }
            return null;
        }
        if (withoutMetrics.remove(lineId)) {
            withoutMetricsCount = withoutMetrics.size();
        }
        metrics = create.apply(lineId);
        lines.put(lineId, metrics);
        registerLine(lineId, metrics);
        return metrics;
    }

    /** Removes the metrics of a line that no longer has applied state (nothing if it had none). */
    public void remove(String lineId) {
        if (withoutMetrics.remove(lineId)) {
            withoutMetricsCount = withoutMetrics.size();
        }
        lines.remove(lineId);
        MetricGroup group = groups.remove(lineId);
        if (group instanceof AbstractMetricGroup) {
            ((AbstractMetricGroup<?>) group).close();
            if (++closedGroups > maxLines) {
                reregisterLiveLines();
            }
        }
    }

    /** Lines with metrics now. */
    public int linesWithMetrics() {
        return lines.size();
    }

    /**
     * Drops the closed groups that the {@code line} group still holds: closes it (unregistering the
     * live lines' metrics too), then registers the live lines' metrics under a new one.
     */
    private void reregisterLiveLines() {
        MetricGroup lineGroup = parent.addGroup(LINE_GROUP); // the existing one
        if (lineGroup instanceof AbstractMetricGroup) {
            ((AbstractMetricGroup<?>) lineGroup).close();
        }
        closedGroups = 0;
        lines.forEach(this::registerLine);
    }

    private void registerLine(String lineId, T metrics) {
        MetricGroup group = parent.addGroup(LINE_GROUP, lineId);
        metrics.registerIn(group);
        groups.put(lineId, group);
    }
}
