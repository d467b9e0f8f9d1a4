package io.inctrlstream.job;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How the job checkpoints, read from {@link InspectionJobOptions} and validated. Checkpoints always
 * go to durable storage: with checkpointing on, a checkpoint directory is required (the
 * JobManager's memory holds at most a few megabytes, less than one line's shot bank).
 *
 * @param interval the checkpoint interval; zero disables checkpointing
 * @param directory where checkpoints are written (a URI or an absolute path); empty only when
 *     checkpointing is disabled
 * @param retainOnCancel whether the latest checkpoint is kept when the job is cancelled
 * @param timeout how long one checkpoint may take
 * @param tolerableFailures consecutive failed checkpoints tolerated before the job fails
 * @param minPause least time between two checkpoints
 * @param unaligned whether checkpoints are unaligned
 */
public record CheckpointSettings(
        Duration interval,
        Optional<String> directory,
        boolean retainOnCancel,
        Duration timeout,
        int tolerableFailures,
        Duration minPause,
        boolean unaligned) {
    public CheckpointSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(minPause, "minPause");
        if (interval.isNegative()) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.CHECKPOINT_INTERVAL.key()
                            + " must not be negative, found "
                            + interval);
        }
        directory = directory.map(String::strip).filter(dir -> !dir.isEmpty());
        if (!interval.isZero() && directory.isEmpty()) {
            throw new IllegalArgumentException(
                    "checkpoints need durable storage: set "
                            + InspectionJobOptions.CHECKPOINT_DIR.key()
                            + " (or Flink's "
                            + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
                            + ") to a folder the JobManager and every TaskManager can reach"
                            + " (file:///..., s3://..., hdfs://...), or disable checkpointing"
                            + " with "
                            + InspectionJobOptions.CHECKPOINT_INTERVAL.key()
                            + ": 0; found neither");
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.CHECKPOINT_TIMEOUT.key()
                            + " must be positive, found "
                            + timeout);
        }
        if (tolerableFailures < 0) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.CHECKPOINT_TOLERABLE_FAILURES.key()
                            + " must be >= 0, found "
                            + tolerableFailures);
        }
        if (minPause.isNegative()) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.CHECKPOINT_MIN_PAUSE.key()
                            + " must not be negative, found "
                            + minPause);
        }
    }

    /**
     * The settings from the job's options.
     *
     * @throws IllegalArgumentException naming the option, when a value is out of range or the
     *     checkpoint directory is missing while checkpointing is on
     */
    public static CheckpointSettings from(ReadableConfig config) {
        return new CheckpointSettings(
                config.get(InspectionJobOptions.CHECKPOINT_INTERVAL),
                config.getOptional(InspectionJobOptions.CHECKPOINT_DIR),
                config.get(InspectionJobOptions.CHECKPOINT_RETAIN_ON_CANCEL),
                config.get(InspectionJobOptions.CHECKPOINT_TIMEOUT),
                config.get(InspectionJobOptions.CHECKPOINT_TOLERABLE_FAILURES),
                config.get(InspectionJobOptions.CHECKPOINT_MIN_PAUSE),
                config.get(InspectionJobOptions.CHECKPOINT_UNALIGNED));
    }

    /** Whether the job checkpoints at all. */
    public boolean enabled() {
        return !interval.isZero();
    }
}
