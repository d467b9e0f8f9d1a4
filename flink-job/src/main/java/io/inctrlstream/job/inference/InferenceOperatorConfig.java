package io.inctrlstream.job.inference;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the line inference operator, immutable and validated by {@link Builder#build()}.
 * Serializable because it travels with the job graph.
 */
public final class InferenceOperatorConfig implements Serializable {
    private static final long serialVersionUID = 3L;

    private final int maxBatchSize;
    private final long maxBatchPixels;
    private final long maxBatchWaitMillis;
    private final int maxConcurrentBatches;
    private final boolean batchWaitOnlyWhenBusy;
    private final int capacity;
    private final long timeoutMillis;
    private final int maxRetries;
    private final int maxConsecutiveFailures;
    private final int maxShotsPerLine;
    private final double defaultThreshold;
    private final long bankCacheBytes;
    private final int maxLinesWithMetrics;

    private InferenceOperatorConfig(Builder builder) {
        this.maxBatchSize = builder.maxBatchSize;
        this.maxBatchPixels = builder.maxBatchPixels;
        this.maxBatchWaitMillis = builder.maxBatchWait.toMillis();
        this.maxConcurrentBatches = builder.maxConcurrentBatches;
        this.batchWaitOnlyWhenBusy = builder.batchWaitOnlyWhenBusy;
        this.capacity = builder.capacity;
        this.timeoutMillis = builder.timeout.toMillis();
        this.maxRetries = builder.maxRetries;
        this.maxConsecutiveFailures = builder.maxConsecutiveFailures;
        this.maxShotsPerLine = builder.maxShotsPerLine;
        this.defaultThreshold = builder.defaultThreshold;
        this.bankCacheBytes = builder.bankCacheBytes;
        this.maxLinesWithMetrics = builder.maxLinesWithMetrics;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static InferenceOperatorConfig defaults() {
        return builder().build();
    }

    /** Most frames in one scoring batch. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /**
     * Most pixels (declared width * height, summed) in one scoring batch; a single frame larger
     * than this is scored alone.
     */
    public long maxBatchPixels() {
        return maxBatchPixels;
    }

    /** Longest a frame waits for its batch to fill before the batch is sent anyway. */
    public Duration maxBatchWait() {
        return Duration.ofMillis(maxBatchWaitMillis);
    }

    /**
     * Most calls (scoring batches and bank builds together) handed to the backend and not yet
     * answered.
     */
    public int maxConcurrentBatches() {
        return maxConcurrentBatches;
    }

    /**
     * Whether frames wait for their batch to fill ({@link #maxBatchWait}) only while the subtask's
     * model is busy with a scoring batch: when none runs, waiting frames are sent at once, since
     * waiting would only add latency; while one runs, the next batch fills meanwhile.
     */
    public boolean batchWaitOnlyWhenBusy() {
        return batchWaitOnlyWhenBusy;
    }

    /** Most inputs (frames and commands) held by a subtask; more inputs wait (backpressure). */
    public int capacity() {
        return capacity;
    }

    /** How long one inference attempt (a batch, or a bank build) may run, from its start. */
    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    /** How many times a timed-out or failed attempt is retried before giving up. */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * How many backend calls in a row may fail or time out before the operator fails its task (so
     * that Flink restarts it and the model is loaded anew).
     */
    public int maxConsecutiveFailures() {
        return maxConsecutiveFailures;
    }

    /** Most shots a line may have. */
    public int maxShotsPerLine() {
        return maxShotsPerLine;
    }

    /** Threshold of a line that never received a set-threshold command. */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Most bytes of serialized banks a subtask keeps on the heap besides keyed state. */
    public long bankCacheBytes() {
        return bankCacheBytes;
    }

    /** Most lines a subtask registers per-line metrics for. */
    public int maxLinesWithMetrics() {
        return maxLinesWithMetrics;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof InferenceOperatorConfig)) {
            return false;
        }
        InferenceOperatorConfig that = (InferenceOperatorConfig) other;
        return maxBatchSize == that.maxBatchSize
                && maxBatchPixels == that.maxBatchPixels
                && maxBatchWaitMillis == that.maxBatchWaitMillis
                && maxConcurrentBatches == that.maxConcurrentBatches
                && batchWaitOnlyWhenBusy == that.batchWaitOnlyWhenBusy
                && capacity == that.capacity
                && timeoutMillis == that.timeoutMillis
                && maxRetries == that.maxRetries
                && maxConsecutiveFailures == that.maxConsecutiveFailures
                && maxShotsPerLine == that.maxShotsPerLine
                && Double.compare(defaultThreshold, that.defaultThreshold) == 0
                && bankCacheBytes == that.bankCacheBytes
                && maxLinesWithMetrics == that.maxLinesWithMetrics;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                maxBatchSize,
                maxBatchPixels,
                maxBatchWaitMillis,
                maxConcurrentBatches,
                batchWaitOnlyWhenBusy,
                capacity,
                timeoutMillis,
                maxRetries,
                maxConsecutiveFailures,
                maxShotsPerLine,
                defaultThreshold,
                bankCacheBytes,
                maxLinesWithMetrics);
    }

    @Override
    public String toString() {
        return "InferenceOperatorConfig[maxBatchSize="
                + maxBatchSize
                + ", maxBatchPixels="
                + maxBatchPixels
                + ", maxBatchWait="
                + maxBatchWaitMillis
                + " ms, maxConcurrentBatches="
                + maxConcurrentBatches
                + ", batchWaitOnlyWhenBusy="
                + batchWaitOnlyWhenBusy
                + ", capacity="
                + capacity
                + ", timeout="
                + timeoutMillis
                + " ms, maxRetries="
                + maxRetries
                + ", maxConsecutiveFailures="
                + maxConsecutiveFailures
                + ", maxShotsPerLine="
                + maxShotsPerLine
                + ", defaultThreshold="
                + defaultThreshold
                + ", bankCacheBytes="
                + bankCacheBytes
                + ", maxLinesWithMetrics="
                + maxLinesWithMetrics
                + "]";
    }

    /** Builds an {@link InferenceOperatorConfig}; every setter has a default. */
    public static final class Builder {
        private int maxBatchSize = 8;
        private long maxBatchPixels = 32_000_000L;
        private Duration maxBatchWait = Duration.ofMillis(20);
        private int maxConcurrentBatches = 1;
        private boolean batchWaitOnlyWhenBusy;
        private int capacity = 128;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxRetries = 2;
        private int maxConsecutiveFailures = 5;
        private int maxShotsPerLine = 16;
        private double defaultThreshold = 0.5;
        private long bankCacheBytes = 64L << 20;
        private int maxLinesWithMetrics = 256;

        private Builder() {}

        /** Default 8. */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** Default 32,000,000 (eight 4-megapixel frames). */
        public Builder maxBatchPixels(long maxBatchPixels) {
            this.maxBatchPixels = maxBatchPixels;
            return this;
        }

        /** Default 20 ms; zero sends every frame at once. */
        public Builder maxBatchWait(Duration maxBatchWait) {
            this.maxBatchWait = Objects.requireNonNull(maxBatchWait, "maxBatchWait");
            return this;
        }

        /**
         * Default 1: the next batch collects frames while the current call (a batch or a bank
         * build) runs.
         */
        public Builder maxConcurrentBatches(int maxConcurrentBatches) {
            this.maxConcurrentBatches = maxConcurrentBatches;
            return this;
        }

        /**
         * Default false: every frame may wait up to {@code maxBatchWait} for its batch to fill. The
         * job's option {@code inctrl.inference.batch-wait-only-when-busy} defaults to true.
         */
        public Builder batchWaitOnlyWhenBusy(boolean batchWaitOnlyWhenBusy) {
            this.batchWaitOnlyWhenBusy = batchWaitOnlyWhenBusy;
            return this;
        }

        /** Default 128. */
        public Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /** Default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Default 2. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Default 5. */
        public Builder maxConsecutiveFailures(int maxConsecutiveFailures) {
            this.maxConsecutiveFailures = maxConsecutiveFailures;
            return this;
        }

        /** Default 16. */
        public Builder maxShotsPerLine(int maxShotsPerLine) {
            this.maxShotsPerLine = maxShotsPerLine;
            return this;
        }

        /** Default 0.5. */
        public Builder defaultThreshold(double defaultThreshold) {
            this.defaultThreshold = defaultThreshold;
            return this;
        }

        /** Default 64 MiB; zero reads the bank from keyed state for every frame. */
        public Builder bankCacheBytes(long bankCacheBytes) {
            this.bankCacheBytes = bankCacheBytes;
            return this;
        }

        /** Default 256; zero registers no per-line metrics. */
        public Builder maxLinesWithMetrics(int maxLinesWithMetrics) {
            this.maxLinesWithMetrics = maxLinesWithMetrics;
            return this;
        }

        /** Validates the settings and builds the config. */
        public InferenceOperatorConfig build() {
            requireAtLeast("maxBatchSize", maxBatchSize, 1);
            requireAtLeast("maxBatchPixels", maxBatchPixels, 1);
            requireAtLeast("maxConcurrentBatches", maxConcurrentBatches, 1);
            requireAtLeast("capacity", capacity, 1);
            requireAtLeast("maxRetries", maxRetries, 0);
            requireAtLeast("maxConsecutiveFailures", maxConsecutiveFailures, 1);
            requireAtLeast("maxShotsPerLine", maxShotsPerLine, 1);
            requireAtLeast("bankCacheBytes", bankCacheBytes, 0);
            requireAtLeast("maxLinesWithMetrics", maxLinesWithMetrics, 0);
            if (maxBatchWait.isNegative()) {
                throw new IllegalArgumentException(
                        "maxBatchWait must not be negative, found " + maxBatchWait);
            }
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "timeout must be at least 1 ms, found " + timeout);
            }
            if (!(defaultThreshold >= 0.0 && defaultThreshold <= 1.0)) {
                throw new IllegalArgumentException(
                        "defaultThreshold must be in [0, 1], found " + defaultThreshold);
            }
            return new InferenceOperatorConfig(this);
        }

        private static void requireAtLeast(String name, long value, long minimum) {
            if (value < minimum) {
                throw new IllegalArgumentException(
                        name + " must be at least " + minimum + ", found " + value);
            }
        }
    }
}
