package io.inctrlstream.job;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;

/**
 * Metrics as a reporter sees them: Flink's own metric groups (task manager, job, task, operator) on
 * a registry that records every metric registered and every metric removed, by its full identifier
 * ({@code localhost.taskmanager.<id>.job.<operator>.<subtask>.line.line-a.shotsVersion}). Tests
 * look metrics up by the end of the identifier ({@code line.line-a.shotsVersion}).
 */
public final class ReportedMetrics {
    private final Map<String, Metric> live = new ConcurrentHashMap<>();
    private final List<String> removed = new CopyOnWriteArrayList<>();
    private final TaskMetricGroup task;

    public ReportedMetrics() {
        TestingMetricRegistry registry =
                TestingMetricRegistry.builder()
                        .setRegisterConsumer(
                                (metric, name, group) ->
                                        live.put(group.getMetricIdentifier(name), metric))
                        .setUnregisterConsumer(
                                (metric, name, group) -> {
                                    String identifier = group.getMetricIdentifier(name);
                                    live.remove(identifier);
                                    removed.add(identifier);
                                })
                        .build();
        task =
                TaskManagerMetricGroup.createTaskManagerMetricGroup(
                                registry, "localhost", ResourceID.generate())
                        .addJob(new JobID(), "job")
                        .addTask(ExecutionAttemptID.randomId(), "task");
    }

    /** The task's group, for a mock environment (operators add their groups below it). */
    public TaskMetricGroup taskGroup() {
        return task;
    }

    /** A new operator group below the task. */
    public MetricGroup operatorGroup(String operatorName) {
        return task.getOrAddOperator(operatorName);
    }

    /**
     * The registered metric whose identifier ends with {@code "." + suffix}, if any; of several,
     * the one in the outermost group ({@code alerts} rather than {@code line.line-1.alerts}).
     */
    public Optional<Metric> find(String suffix) {
        return live.entrySet().stream()
                .filter(entry -> entry.getKey().endsWith("." + suffix))
                .min(Comparator.comparingInt(entry -> entry.getKey().length()))
                .map(Map.Entry::getValue);
    }

    /** Whether a metric ending with {@code suffix} is registered now. */
    public boolean has(String suffix) {
        return find(suffix).isPresent();
    }

    /** Whether a metric ending with {@code suffix} was registered and then removed. */
    public boolean wasRemoved(String suffix) {
        return removed.stream().anyMatch(identifier -> identifier.endsWith("." + suffix));
    }

    /** How many registered metrics' identifiers contain {@code part}. */
    public long countContaining(String part) {
        return live.keySet().stream().filter(identifier -> identifier.contains(part)).count();
    }
}
