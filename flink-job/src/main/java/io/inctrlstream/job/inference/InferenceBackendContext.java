package io.inctrlstream.job.inference;

import org.apache.flink.metrics.MetricGroup;

/**
 * What a backend factory learns about the subtask it creates a backend for.
 *
 * @param subtaskIndex the operator subtask's index
 * @param numberOfSubtasks the operator's parallelism
 * @param metricGroup the operator's metric group, for the backend's own metrics
 */
public record InferenceBackendContext(
        int subtaskIndex, int numberOfSubtasks, MetricGroup metricGroup) {}
