package io.inctrlstream.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * A metric group that remembers its counters and gauges by their full name ({@code key.value.name}
 * for key-value groups), for tests.
 */
public final class RecordingMetricGroup extends UnregisteredMetricsGroup {
    private final String prefix;
    private final Map<String, Object> metrics;

    public RecordingMetricGroup() {
        this("", new ConcurrentHashMap<>());
    }

    private RecordingMetricGroup(String prefix, Map<String, Object> metrics) {
        this.prefix = prefix;
        this.metrics = metrics;
    }

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        metrics.put(prefix + name, counter);
        return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        metrics.put(prefix + name, gauge);
        return gauge;
    }

    @Override
    public MetricGroup addGroup(String name) {
        return new RecordingMetricGroup(prefix + name + ".", metrics);
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return new RecordingMetricGroup(prefix + key + "." + value + ".", metrics);
    }

    /** The count of a counter, 0 if it was never registered. */
    public long count(String fullName) {
        Object metric = metrics.get(fullName);
        return metric == null ? 0 : ((Counter) metric).getCount();
    }

    /** The value of a gauge, or null if it was never registered. */
    public Object gaugeValue(String fullName) {
        Object metric = metrics.get(fullName);
        return metric == null ? null : ((Gauge<?>) metric).getValue();
    }

    /** Whether a metric of that full name was registered. */
    public boolean has(String fullName) {
        return metrics.containsKey(fullName);
    }
}
