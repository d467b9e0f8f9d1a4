package io.inctrlstream.job.inference;

import io.inctrlstream.job.io.LineStateStore;
import java.io.Serializable;
import java.util.Objects;

/**
 * How the line inference operator keeps each line's applied state outside its checkpoints: after
 * every applied command it emits the line's whole state as a {@code LineState} record (side output
 * {@link LineInference#LINE_STATES}, for the compacted line-state topic), refusing a command whose
 * resulting record would exceed {@link #maxRecordBytes()}; and when it starts without a checkpoint
 * or savepoint, it restores its lines from {@link #store()} before it takes any input, skipping
 * records of another model that do not carry the shot images to rebuild their bank from. Immutable,
 * validated by {@link Builder#build()}; serializable (it travels with the job graph).
 */
public final class LineStateConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The default largest line-state record: 16 official-size shots in FP32, with room. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 48L * 1024 * 1024;

    private final String modelId;
    private final LineStateStore store;
    private final long maxRecordBytes;

    private LineStateConfig(Builder builder) {
        this.modelId = builder.modelId;
        this.store = builder.store;
        this.maxRecordBytes = builder.maxRecordBytes;
    }

    /** A builder for the job's model: its banks are restored, others' are not. */
    public static Builder builder(String modelId) {
        return new Builder(modelId);
    }

    /** The model id written into every record; records of other models are not restored. */
    public String modelId() {
        return modelId;
    }

    /** Where a start without checkpoint restores the lines from. */
    public LineStateStore store() {
        return store;
    }

    /** The largest line-state record (key and value), in bytes. */
    public long maxRecordBytes() {
        return maxRecordBytes;
    }

    @Override
    public String toString() {
        return "LineStateConfig[modelId="
                + modelId
                + ", store="
                + store
                + ", maxRecordBytes="
                + maxRecordBytes
                + "]";
    }

    /** Builds a {@link LineStateConfig}; defaults: no store, {@link #DEFAULT_MAX_RECORD_BYTES}. */
    public static final class Builder {
        private final String modelId;
        private LineStateStore store = LineStateStore.empty();
        private long maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

        private Builder(String modelId) {
            this.modelId = modelId;
        }

        /** Where a start without checkpoint restores the lines from. */
        public Builder store(LineStateStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The largest line-state record, key and value; a command exceeding it is rejected. */
        public Builder maxRecordBytes(long maxRecordBytes) {
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException if the model id is blank or the limit not positive
         */
        public LineStateConfig build() {
            if (modelId == null || modelId.isBlank()) {
                throw new IllegalArgumentException("the model id must not be empty, found none");
            }
            if (maxRecordBytes < 1) {
                throw new IllegalArgumentException(
                        "the largest line-state record must be at least 1 byte, found "
                                + maxRecordBytes);
            }
            return new LineStateConfig(this);
        }
    }
}
