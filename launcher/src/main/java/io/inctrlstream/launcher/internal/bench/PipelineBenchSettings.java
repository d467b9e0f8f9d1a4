package io.inctrlstream.launcher.internal.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@code inctrl bench pipeline} run does: the bundle, the lines, the thread budget shared
 * by the engine and the job, how many frames each phase uses, and extra job settings (to compare
 * option values side by side). Immutable; built and validated by {@link Builder#build()}.
 */
public final class PipelineBenchSettings {
    private final Path bundle;
    private final int lines;
    private final int threads;
    private final int parallelism;
    private final int shotsPerLine;
    private final int distinctFrames;
    private final int saturationFramesPerLine;
    private final Duration engineDuration;
    private final Duration latencyDuration;
    private final Duration pipelineWarmup;
    private final Duration checkpointInterval;
    private final boolean inProcessBroker;
    private final Map<String, String> jobSettings;

    private PipelineBenchSettings(Builder builder) {
        this.bundle = builder.bundle;
        this.lines = builder.lines;
        this.threads = builder.threads;
        this.parallelism = builder.parallelism;
        this.shotsPerLine = builder.shotsPerLine;
        this.distinctFrames = builder.distinctFrames;
        this.saturationFramesPerLine = builder.saturationFramesPerLine;
        this.engineDuration = builder.engineDuration;
        this.latencyDuration = builder.latencyDuration;
        this.pipelineWarmup = builder.pipelineWarmup;
        this.checkpointInterval = builder.checkpointInterval;
        this.inProcessBroker = builder.inProcessBroker;
        this.jobSettings = Map.copyOf(builder.jobSettings);
    }

    /** A builder with the full run's defaults for the bundle. */
    public static Builder builder(Path bundle) {
        return new Builder(bundle);
    }

    /** The model bundle folder. */
    public Path bundle() {
        return bundle;
    }

    /** Production lines (each with its own shot bank). */
    public int lines() {
        return lines;
    }

    /**
     * The thread budget: ONNX Runtime's intra-op threads in the engine and in the job, and the
     * engine's decoding threads.
     */
    public int threads() {
        return threads;
    }

    /** The job's parallelism. */
    public int parallelism() {
        return parallelism;
    }

    public int shotsPerLine() {
        return shotsPerLine;
    }

    /** Distinct pre-encoded frames per line, replayed in turn. */
    public int distinctFrames() {
        return distinctFrames;
    }

    /** Frames per line produced into the frames topic for the saturation phase. */
    public int saturationFramesPerLine() {
        return saturationFramesPerLine;
    }

    /** How long the bare engine is timed (after its warm-up). */
    public Duration engineDuration() {
        return engineDuration;
    }

    /** How long the paced producer of the latency phase runs. */
    public Duration latencyDuration() {
        return latencyDuration;
    }

    /**
     * The longest the job is warmed up at saturation before it is measured: it warms up in rounds
     * until the JIT compiler has settled ({@link JitSettling}), or this long. Flink's and Kafka's
     * per-record code needs minutes on two cores before the compiler is done with it, so a short
     * warm-up measures partly compiled code and the compiler itself.
     */
    public Duration pipelineWarmup() {
        return pipelineWarmup;
    }

    /**
     * Whether the Kafka broker runs in the benchmark's own JVM (as before 2026-12-02) rather than
     * in a process of its own, as a deployment's broker does (the default): kept to compare
     * figures.
     */
    public boolean inProcessBroker() {
        return inProcessBroker;
    }

    /** The job's checkpoint interval (on file storage in a temporary folder). */
    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** Extra job or Flink settings (key to value), applied last. */
    public Map<String, String> jobSettings() {
        return jobSettings;
    }

    /** Builds {@link PipelineBenchSettings}. */
    public static final class Builder {
        private final Path bundle;
        private int lines = 4;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int parallelism = 1;
        private int shotsPerLine = 4;
        private int distinctFrames = 8;
        private int saturationFramesPerLine = 320;
        private Duration engineDuration = Duration.ofSeconds(30);
        private Duration latencyDuration = Duration.ofSeconds(60);
        private Duration pipelineWarmup = Duration.ofSeconds(300);
        private Duration checkpointInterval = Duration.ofSeconds(10);
        private boolean inProcessBroker;
        private final Map<String, String> jobSettings = new LinkedHashMap<>();

        private Builder(Path bundle) {
            this.bundle = Objects.requireNonNull(bundle, "bundle");
        }

        /** The quick run's sizes (a few minutes): fewer frames, shorter phases. */
        public Builder quick() {
            saturationFramesPerLine = 240;
            engineDuration = Duration.ofSeconds(10);
            latencyDuration = Duration.ofSeconds(20);
            pipelineWarmup = Duration.ofSeconds(180);
            return this;
        }

        public Builder lines(int lines) {
            this.lines = lines;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder shotsPerLine(int shotsPerLine) {
            this.shotsPerLine = shotsPerLine;
            return this;
        }

        public Builder distinctFrames(int distinctFrames) {
            this.distinctFrames = distinctFrames;
            return this;
        }

        public Builder saturationFramesPerLine(int frames) {
            this.saturationFramesPerLine = frames;
            return this;
        }

        public Builder engineDuration(Duration duration) {
            this.engineDuration = Objects.requireNonNull(duration, "engineDuration");
            return this;
        }

        /**
         * The longest warm-up of the job, if the JIT compiler does not settle before (default 300
         * s, quick 180 s); zero: one round.
         */
        public Builder pipelineWarmup(Duration duration) {
            this.pipelineWarmup = Objects.requireNonNull(duration, "pipelineWarmup");
            return this;
        }

        public Builder latencyDuration(Duration duration) {
            this.latencyDuration = Objects.requireNonNull(duration, "latencyDuration");
            return this;
        }

        /** Default false: the broker runs in a process of its own. */
        public Builder inProcessBroker(boolean inProcessBroker) {
            this.inProcessBroker = inProcessBroker;
            return this;
        }

        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = Objects.requireNonNull(interval, "checkpointInterval");
            return this;
        }

        /** An extra job or Flink setting, applied after the benchmark's own. */
        public Builder jobSetting(String key, String value) {
            jobSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value));
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the setting, what it must be and what it is
         */
        public PipelineBenchSettings build() {
            requireAtLeast("lines", lines, 1);
            requireAtLeast("threads", threads, 1);
            requireAtLeast("parallelism", parallelism, 1);
            requireAtLeast("shots per line", shotsPerLine, 1);
            requireAtLeast("distinct frames per line", distinctFrames, 1);
            requireAtLeast("saturation frames per line", saturationFramesPerLine, 1);
            requirePositive("engine duration", engineDuration);
            requirePositive("latency duration", latencyDuration);
            if (pipelineWarmup.isNegative()) {
                throw new IllegalArgumentException(
                        "pipeline warm-up must be >= 0, found " + pipelineWarmup);
            }
            if (checkpointInterval.isNegative()) {
                throw new IllegalArgumentException(
                        "checkpoint interval must be >= 0 (0: no checkpoints), found "
                                + checkpointInterval);
            }
            return new PipelineBenchSettings(this);
        }

        private static void requireAtLeast(String what, int value, int least) {
            if (value < least) {
                throw new IllegalArgumentException(
                        what + " must be >= " + least + ", found " + value);
            }
        }

        private static void requirePositive(String what, Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, found " + duration);
            }
        }
    }
}
