package io.inctrlstream.launcher.internal.topics;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.model.BundleManifest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The seven topics of one inspection job with what each needs, derived from the job's own settings
 * and model: {@code max.message.bytes} from the frame and command limits ({@code inctrl.limits.*}),
 * the dead letters' size, the heatmaps the alerts carry, and for the compacted line-state topic the
 * largest line state ({@code inctrl.line-state.max-record-bytes}: a line's bank and, where they
 * fit, its shot images); the control and control-events topics kept forever (the commands and their
 * audit trail), frames and outputs for a retention time.
 */
public final class TopicLayout {
    /**
     * Room for what a record batch carries besides the value: the key (the line id), headers, the
     * Avro and record framing and the batch header.
     */
    static final long RECORD_OVERHEAD = 64 * 1024;

    /** Kafka's default max.message.bytes: no topic gets less. */
    static final long KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    private final List<TopicSpec> topics;

    private TopicLayout(Builder builder) {
        ReadableConfig job = builder.job;
        InspectionTopics names = builder.names;
        BundleManifest.Vision vision = builder.model.vision();
        long frames = job.get(InspectionJobOptions.FRAME_MAX_BYTES).getBytes();
        long commands = job.get(InspectionJobOptions.COMMAND_MAX_BYTES).getBytes();
        long deadLetters = job.get(InspectionJobOptions.DEAD_LETTER_MAX_BYTES).getBytes();
        long lineState = InspectionTopics.largestLineStateRecord(job);
        // A heatmap is a PNG of the model's input crop: at most its RGB bytes plus PNG framing.
        long inputSide = (long) vision.grid() * vision.patchSize();
        long heatmap = 2 * 3 * inputSide * inputSide;
        long patchMap = (long) vision.patches() * Float.BYTES;
        String outputs = Long.toString(builder.outputsRetention.toMillis());
        this.topics =
                List.of(
                        spec(
                                builder,
                                names.frames(),
                                "frames",
                                frames,
                                "delete",
                                Long.toString(builder.framesRetention.toMillis())),
                        spec(builder, names.control(), "control", commands, "delete", "-1"),
                        spec(builder, names.scores(), "scores", patchMap, "delete", outputs),
                        spec(
                                builder,
                                names.alerts(),
                                "alerts",
                                heatmap + patchMap,
                                "delete",
                                outputs),
                        spec(builder, names.controlEvents(), "control events", 0, "delete", "-1"),
                        spec(
                                builder,
                                names.deadLetters(),
                                "dead letters",
                                deadLetters,
                                "delete",
                                outputs),
                        spec(builder, names.lineState(), "line state", lineState, "compact", null));
    }

    private static TopicSpec spec(
            Builder builder,
            String name,
            String role,
            long largestValue,
            String cleanupPolicy,
            String retentionMs) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicSpec.CLEANUP_POLICY, cleanupPolicy);
        configs.put(TopicSpec.MIN_INSYNC_REPLICAS, Integer.toString(builder.minInsyncReplicas));
        configs.put(
                TopicSpec.MAX_MESSAGE_BYTES,
                Long.toString(
                        Math.max(KAFKA_DEFAULT_MAX_MESSAGE_BYTES, largestValue + RECORD_OVERHEAD)));
        if (retentionMs != null) {
            configs.put(TopicSpec.RETENTION_MS, retentionMs);
        }
        return new TopicSpec(name, role, builder.partitions, builder.replicationFactor, configs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every topic: frames, control, scores, alerts, control events, dead letters, line state. */
    public List<TopicSpec> topics() {
        return topics;
    }

    /** The settings of a layout; {@link #build} checks them. */
    public static final class Builder {
        private InspectionTopics names = InspectionTopics.withPrefix("");
        private ReadableConfig job = new Configuration();
        private BundleManifest model;
        private int partitions = 6;
        private short replicationFactor = 3;
        private int minInsyncReplicas = 2;
        private Duration framesRetention = Duration.ofDays(1);
        private Duration outputsRetention = Duration.ofDays(7);

        private Builder() {}

        /** The topic names (default: the job's defaults). */
        public Builder topics(InspectionTopics names) {
            this.names = Objects.requireNonNull(names, "names");
            return this;
        }

        /** The job's settings the sizes derive from (default: the job's defaults). */
        public Builder jobSettings(ReadableConfig job) {
            this.job = Objects.requireNonNull(job, "job");
            return this;
        }

        /** The manifest of the model bundle the job runs (sizes the alerts' and scores' topics). */
        public Builder model(BundleManifest model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Partitions of every topic (default 6): the most source subtasks that get work. */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Replication factor of every topic (default 3). */
        public Builder replicationFactor(int replicationFactor) {
            if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "replication factor must be in [1, "
                                + Short.MAX_VALUE
                                + "], found "
                                + replicationFactor);
            }
            this.replicationFactor = (short) replicationFactor;
            return this;
        }

        /** min.insync.replicas of every topic (default 2). */
        public Builder minInsyncReplicas(int minInsyncReplicas) {
            this.minInsyncReplicas = minInsyncReplicas;
            return this;
        }

        /** How long frames are kept (default 1 day). */
        public Builder framesRetention(Duration retention) {
            this.framesRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** How long scores, alerts and dead letters are kept (default 7 days). */
        public Builder outputsRetention(Duration retention) {
            this.outputsRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * The layout.
         *
         * @throws IllegalArgumentException if no model was given, partitions are not positive,
         *     min.insync.replicas is outside [1, replication factor] or a retention is not positive
         */
        public TopicLayout build() {
            if (model == null) {
                throw new IllegalArgumentException(
                        "the model bundle's manifest is needed to size the line-state topic");
            }
            if (partitions < 1) {
                throw new IllegalArgumentException(
                        "partitions must be positive, found " + partitions);
            }
            if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
                throw new IllegalArgumentException(
                        "min.insync.replicas must be in [1, replication factor "
                                + replicationFactor
                                + "], found "
                                + minInsyncReplicas);
            }
            for (Duration retention : List.of(framesRetention, outputsRetention)) {
                if (retention.toMillis() < 1) {
                    throw new IllegalArgumentException(
                            "retention must be positive, found " + retention);
                }
            }
            return new TopicLayout(this);
        }
    }
}
