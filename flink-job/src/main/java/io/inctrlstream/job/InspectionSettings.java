package io.inctrlstream.job;

import io.inctrlstream.job.inference.AlertPolicy;
import io.inctrlstream.job.inference.InferenceOperatorConfig;
import io.inctrlstream.job.internal.InputLimits;
import java.util.Objects;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The job's settings other than Kafka and the model, read from {@link InspectionJobOptions} and
 * validated: what the decode stage accepts, the inference operator's configuration, the default
 * alert policy, checkpointing and the state backend.
 *
 * @param inputLimits what the decode stage accepts
 * @param operatorConfig the inference operator's configuration
 * @param defaultAlertPolicy the alert policy of lines that never set one
 * @param checkpoints how the job checkpoints
 * @param maxParallelism the job's maximum parallelism (its key groups)
 * @param stateBackend the state backend
 * @param deliveryMode the sinks' delivery guarantee (checked against checkpointing)
 */
public record InspectionSettings(
        InputLimits inputLimits,
        InferenceOperatorConfig operatorConfig,
        AlertPolicy defaultAlertPolicy,
        CheckpointSettings checkpoints,
        int maxParallelism,
        StateBackendKind stateBackend,
        DeliveryMode deliveryMode) {
    /** Flink's upper bound of the maximum parallelism (key groups). */
    static final int MAX_KEY_GROUPS = 1 << 15;

    public InspectionSettings {
        Objects.requireNonNull(inputLimits, "inputLimits");
        Objects.requireNonNull(operatorConfig, "operatorConfig");
        Objects.requireNonNull(defaultAlertPolicy, "defaultAlertPolicy");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(stateBackend, "stateBackend");
        Objects.requireNonNull(deliveryMode, "deliveryMode");
        defaultAlertPolicy
                .problem()
                .ifPresent(
                        problem -> {
                            throw new IllegalArgumentException("default " + problem);
                        });
        if (maxParallelism < 1 || maxParallelism > MAX_KEY_GROUPS) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.MAX_PARALLELISM.key()
                            + " must be in 1.."
                            + MAX_KEY_GROUPS
                            + ", found "
                            + maxParallelism);
        }
        if (deliveryMode == DeliveryMode.EXACTLY_ONCE && !checkpoints.enabled()) {
            throw new IllegalArgumentException(
                    "exactly-once delivery commits on checkpoints: "
                            + InspectionJobOptions.CHECKPOINT_INTERVAL.key()
                            + " must be positive, found 0");
        }
    }

    /**
     * The settings from the job's options.
     *
     * @throws IllegalArgumentException naming the option, when a value is out of range
     */
    public static InspectionSettings from(ReadableConfig config) {
        InputLimits limits =
                new InputLimits(
                        config.get(InspectionJobOptions.FRAMES_TOPIC),
                        config.get(InspectionJobOptions.CONTROL_TOPIC),
                        config.get(InspectionJobOptions.FRAME_MAX_BYTES).getBytes(),
                        config.get(InspectionJobOptions.COMMAND_MAX_BYTES).getBytes(),
                        config.get(InspectionJobOptions.MAX_PIXELS),
                        (int)
                                Math.min(
                                        Integer.MAX_VALUE,
                                        config.get(InspectionJobOptions.DEAD_LETTER_MAX_BYTES)
                                                .getBytes()));
        InferenceOperatorConfig operator =
                InferenceOperatorConfig.builder()
                        .maxBatchSize(config.get(InspectionJobOptions.BATCH_SIZE))
                        .maxBatchWait(config.get(InspectionJobOptions.MAX_BATCH_WAIT))
                        .maxConcurrentBatches(
                                config.get(InspectionJobOptions.MAX_CONCURRENT_BATCHES))
                        .batchWaitOnlyWhenBusy(
                                config.get(InspectionJobOptions.BATCH_WAIT_ONLY_WHEN_BUSY))
                        .capacity(config.get(InspectionJobOptions.CAPACITY))
                        .timeout(config.get(InspectionJobOptions.TIMEOUT))
                        .maxRetries(config.get(InspectionJobOptions.RETRIES))
                        .maxShotsPerLine(config.get(InspectionJobOptions.MAX_SHOTS_PER_LINE))
                        .defaultThreshold(config.get(InspectionJobOptions.DEFAULT_THRESHOLD))
                        .bankCacheBytes(
                                config.get(InspectionJobOptions.BANK_CACHE_MEMORY).getBytes())
                        .maxBatchPixels(config.get(InspectionJobOptions.MAX_BATCH_PIXELS))
                        .maxConsecutiveFailures(
                                config.get(InspectionJobOptions.MAX_CONSECUTIVE_FAILURES))
                        .maxLinesWithMetrics(config.get(InspectionJobOptions.METRICS_MAX_LINES))
                        .build();
        AlertPolicy policy =
                new AlertPolicy(
                        config.get(InspectionJobOptions.ALERT_MIN_ANOMALOUS),
                        config.get(InspectionJobOptions.ALERT_WINDOW),
                        config.get(InspectionJobOptions.ALERT_COOLDOWN).toMillis());
        return new InspectionSettings(
                limits,
                operator,
                policy,
                CheckpointSettings.from(config),
                config.get(InspectionJobOptions.MAX_PARALLELISM),
                config.get(InspectionJobOptions.STATE_BACKEND),
                config.get(InspectionJobOptions.DELIVERY_GUARANTEE));
    }
}
