package io.inctrlstream.job.inference;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the line inference operator, immutable and validated by {@link Builder#build()}.
 * Serializable because it travels with the job graph.
 */
public final class InferenceOperatorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxBatchSize;
    private final long maxBatchWaitMillis;
    private final int maxConcurrentBatches;
    private final int capacity;
    private final long timeoutMillis;
    private final int maxRetries;
    private final int maxShotsPerLine;
    private final double defaultThreshold;
    private final int bankCacheSize;

    private InferenceOperatorConfig(Builder builder) {
        this.maxBatchSize = builder.maxBatchSize;
        this.maxBatchWaitMillis = builder.maxBatchWait.toMillis();
        this.maxConcurrentBatches = builder.maxConcurrentBatches;
        this.capacity = builder.capacity;
        this.timeoutMillis = builder.timeout.toMillis();
        this.maxRetries = builder.maxRetries;
        this.maxShotsPerLine = builder.maxShotsPerLine;
        this.defaultThreshold = builder.defaultThreshold;
        this.bankCacheSize = builder.bankCacheSize;
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

    /** Longest a frame waits for its batch to fill before the batch is sent anyway. */
    public Duration maxBatchWait() {
        return Duration.ofMillis(maxBatchWaitMillis);
    }

    /** Most scoring batches handed to the backend and not yet answered. */
    public int maxConcurrentBatches() {
        return maxConcurrentBatches;
    }

    /** Most inputs (frames and commands) held by a subtask; more inputs wait (backpressure). */
    public int capacity() {
        return capacity;
    }

    /** How long one inference attempt (a batch, or a bank build) may take. */
    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    /** How many times a timed-out or failed attempt is retried before giving up. */
    public int maxRetries() {
        return maxRetries;
    }

    /** Most shots a line may have. */
    public int maxShotsPerLine() {
        return maxShotsPerLine;
    }

    /** Threshold of a line that never received a set-threshold command. */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** How many lines' serialized banks a subtask keeps on the heap besides keyed state. */
    public int bankCacheSize() {
        return bankCacheSize;
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
                && maxBatchWaitMillis == that.maxBatchWaitMillis
                && maxConcurrentBatches == that.maxConcurrentBatches
                && capacity == that.capacity
                && timeoutMillis == that.timeoutMillis
                && maxRetries == that.maxRetries
                && maxShotsPerLine == that.maxShotsPerLine
                && Double.compare(defaultThreshold, that.defaultThreshold) == 0
                && bankCacheSize == that.bankCacheSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                maxBatchSize,
                maxBatchWaitMillis,
                maxConcurrentBatches,
                capacity,
                timeoutMillis,
                maxRetries,
                maxShotsPerLine,
                defaultThreshold,
                bankCacheSize);
    }

    @Override
    public String toString() {
        return "InferenceOperatorConfig[maxBatchSize="
                + maxBatchSize
                + ", maxBatchWait="
                + maxBatchWaitMillis
                + " ms, maxConcurrentBatches="
                + maxConcurrentBatches
                + ", capacity="
                + capacity
                + ", timeout="
                + timeoutMillis
                + " ms, maxRetries="
                + maxRetries
                + ", maxShotsPerLine="
                + maxShotsPerLine
                + ", defaultThreshold="
                + defaultThreshold
                + ", bankCacheSize="
                + bankCacheSize
                + "]";
    }

    /** Builds an {@link InferenceOperatorConfig}; every setter has a default. */
    public static final class Builder {
        private int maxBatchSize = 8;
        private Duration maxBatchWait = Duration.ofMillis(20);
        private int maxConcurrentBatches = 1;
        private int capacity = 128;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxRetries = 2;
        private int maxShotsPerLine = 16;
        private double defaultThreshold = 0.5;
        private int bankCacheSize = 64;

        private Builder() {}

        /** Default 8. */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** Default 20 ms; zero sends every frame at once. */
        public Builder maxBatchWait(Duration maxBatchWait) {
            this.maxBatchWait = Objects.requireNonNull(maxBatchWait, "maxBatchWait");
            return this;
        }

        /** Default 1: the next batch collects frames while the current one runs. */
        public Builder maxConcurrentBatches(int maxConcurrentBatches) {
            this.maxConcurrentBatches = maxConcurrentBatches;
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

        /** Default 64; zero reads the bank from keyed state for every frame. */
        public Builder bankCacheSize(int bankCacheSize) {
            this.bankCacheSize = bankCacheSize;
            return this;
        }

        /** Validates the settings and builds the config. */
        public InferenceOperatorConfig build() {
            requireAtLeast("maxBatchSize", maxBatchSize, 1);
            requireAtLeast("maxConcurrentBatches", maxConcurrentBatches, 1);
            requireAtLeast("capacity", capacity, 1);
            requireAtLeast("maxRetries", maxRetries, 0);
            requireAtLeast("maxShotsPerLine", maxShotsPerLine, 1);
            requireAtLeast("bankCacheSize", bankCacheSize, 0);
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

        private static void requireAtLeast(String name, int value, int minimum) {
            if (value < minimum) {
                throw new IllegalArgumentException(
                        name + " must be at least " + minimum + ", found " + value);
            }
        }
    }
}
