package io.inctrlstream.job.kafka;

import java.util.OptionalLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;

/** Init contexts of subtask 0 of 1 of a sink's committer, for tests outside a Flink task. */
public final class CommitterContexts {
    private CommitterContexts() {}

    /** A committer started without a checkpoint. */
    public static CommitterInitContext fresh() {
        return new Context(OptionalLong.empty());
    }

    /** A committer restored from {@code checkpoint}. */
    public static CommitterInitContext restoredFrom(long checkpoint) {
        return new Context(OptionalLong.of(checkpoint));
    }

    private record Context(OptionalLong checkpoint) implements CommitterInitContext {
        @Override
        public SinkCommitterMetricGroup metricGroup() {
            return InternalSinkCommitterMetricGroup.wrap(
                    UnregisteredMetricsGroup.createOperatorMetricGroup());
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return checkpoint;
        }

        @Override
        public JobInfo getJobInfo() {
            return new JobInfoImpl(new JobID(), "committer test");
        }

        @Override
        public TaskInfo getTaskInfo() {
            return new TaskInfoImpl("committer", 1, 0, 1, checkpoint.isPresent() ? 1 : 0);
        }
    }
}
