package io.inctrlstream.model;

/**
 * How an {@link InctrlEngine} runs its graphs: device, threads, graph optimization and the largest
 * batch handed to ONNX Runtime at once (larger requests are split). Immutable; build with {@link
 * #builder()}, which validates in {@link Builder#build()}.
 */
public final class EngineConfig {
    /** ONNX Runtime's graph optimization levels. */
    public enum OptimizationLevel {
        NONE,
        BASIC,
        EXTENDED,
        ALL
    }

    /** The default largest batch per graph run. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 16;

    /**
     * The smallest GPU memory limit accepted (1 MiB): a smaller positive value is a unit mistake
     * (megabytes given as bytes), not a budget the model's weights could fit in.
     */
    public static final long MIN_CUDA_MEMORY_LIMIT_BYTES = 1L << 20;

    private final Device device;
    private final int cudaDeviceId;
    private final long cudaMemoryLimitBytes;
    private final CudaMemoryShares cudaMemoryShares;
    private final boolean allowCpuFallback;
    private final int intraOpThreads;
    private final int interOpThreads;
    private final OptimizationLevel optimizationLevel;
    private final int maxBatchSize;

    private EngineConfig(Builder builder) {
        this.device = builder.device;
        this.cudaDeviceId = builder.cudaDeviceId;
        this.cudaMemoryLimitBytes = builder.cudaMemoryLimitBytes;
        this.cudaMemoryShares = builder.cudaMemoryShares;
        this.allowCpuFallback = builder.allowCpuFallback;
        this.intraOpThreads = builder.intraOpThreads;
        this.interOpThreads = builder.interOpThreads;
        this.optimizationLevel = builder.optimizationLevel;
        this.maxBatchSize = builder.maxBatchSize;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof EngineConfig)) {
            return false;
        }
        EngineConfig that = (EngineConfig) other;
        return device == that.device
                && cudaDeviceId == that.cudaDeviceId
                && cudaMemoryLimitBytes == that.cudaMemoryLimitBytes
                && cudaMemoryShares.equals(that.cudaMemoryShares)
                && allowCpuFallback == that.allowCpuFallback
                && intraOpThreads == that.intraOpThreads
                && interOpThreads == that.interOpThreads
                && optimizationLevel == that.optimizationLevel
                && maxBatchSize == that.maxBatchSize;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                device,
                cudaDeviceId,
                cudaMemoryLimitBytes,
                cudaMemoryShares,
                allowCpuFallback,
                intraOpThreads,
                interOpThreads,
                optimizationLevel,
                maxBatchSize);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: CPU, ONNX Runtime's thread defaults, all optimizations, batches of 16. */
    public static EngineConfig defaults() {
        return builder().build();
    }

    /** The device asked for (the engine reports the one actually used). */
    public Device device() {
        return device;
    }

    public int cudaDeviceId() {
        return cudaDeviceId;
    }

    /**
     * The most bytes of GPU memory the CUDA memory arenas of the engine's three ONNX Runtime
     * sessions (image encoder, scorer, text encoder) may hold together; 0 means no limit. Only used
     * on CUDA. ONNX Runtime keeps one arena per session, so each session's arena gets its part (its
     * graph's weights plus its {@link #cudaMemoryShares()} of the rest) as its {@code
     * gpu_mem_limit} (grown by what is requested instead of in powers of two). The CUDA context and
     * the libraries' own workspaces (cuDNN, cuBLAS) are outside any arena.
     */
    public long cudaMemoryLimitBytes() {
        return cudaMemoryLimitBytes;
    }

    /**
     * How what {@link #cudaMemoryLimitBytes()} leaves beyond the weights is split among the
     * sessions.
     */
    public CudaMemoryShares cudaMemoryShares() {
        return cudaMemoryShares;
    }

    /** Whether a CUDA request may fall back to the CPU (with a warning) when CUDA is unusable. */
    public boolean allowCpuFallback() {
        return allowCpuFallback;
    }

    /** Threads inside one operator; 0 means ONNX Runtime's default. */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** Threads across independent operators; 0 means ONNX Runtime's default. */
    public int interOpThreads() {
        return interOpThreads;
    }

    public OptimizationLevel optimizationLevel() {
        return optimizationLevel;
    }

    /** The largest batch given to one graph run. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public String toString() {
        return "EngineConfig[device="
                + device
                + (device == Device.CUDA
                        ? ", cudaDeviceId="
                                + cudaDeviceId
                                + ", cudaMemoryLimitBytes="
                                + cudaMemoryLimitBytes
                                + ", cudaMemoryShares="
                                + cudaMemoryShares
                        : "")
                + ", allowCpuFallback="
                + allowCpuFallback
                + ", intraOpThreads="
                + intraOpThreads
                + ", interOpThreads="
                + interOpThreads
                + ", optimizationLevel="
                + optimizationLevel
                + ", maxBatchSize="
                + maxBatchSize
                + "]";
    }

    /** Builds an {@link EngineConfig}; every setter may be called in any order. */
    public static final class Builder {
        private Device device = Device.CPU;
        private int cudaDeviceId = 0;
        private long cudaMemoryLimitBytes = 0;
        private CudaMemoryShares cudaMemoryShares = CudaMemoryShares.DEFAULT;
        private boolean allowCpuFallback = true;
        private int intraOpThreads = 0;
        private int interOpThreads = 0;
        private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;

        private Builder() {}

        public Builder device(Device device) {
            this.device = device;
            return this;
        }

        public Builder cudaDeviceId(int cudaDeviceId) {
            this.cudaDeviceId = cudaDeviceId;
            return this;
        }

        /**
         * Default 0: no limit; otherwise at least 1 MiB ({@link #MIN_CUDA_MEMORY_LIMIT_BYTES}), and
         * on CUDA at least the bundle's weights plus 1 MiB per session (checked when the engine
         * opens, {@link CudaMemoryShares#parts}).
         */
        public Builder cudaMemoryLimitBytes(long cudaMemoryLimitBytes) {
            this.cudaMemoryLimitBytes = cudaMemoryLimitBytes;
            return this;
        }

        /** Default {@link CudaMemoryShares#DEFAULT}. */
        public Builder cudaMemoryShares(CudaMemoryShares cudaMemoryShares) {
            this.cudaMemoryShares = cudaMemoryShares;
            return this;
        }

        public Builder allowCpuFallback(boolean allowCpuFallback) {
            this.allowCpuFallback = allowCpuFallback;
            return this;
        }

        public Builder intraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        public Builder interOpThreads(int interOpThreads) {
            this.interOpThreads = interOpThreads;
            return this;
        }

        public Builder optimizationLevel(OptimizationLevel optimizationLevel) {
            this.optimizationLevel = optimizationLevel;
            return this;
        }

        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a value is out of range (negative ids or thread
         *     counts, a GPU memory limit neither 0 nor at least 1 MiB, a batch size below 1, a null
         *     device, level or shares)
         */
        public EngineConfig build() {
            if (device == null) {
                throw new IllegalArgumentException("device must not be null");
            }
            if (optimizationLevel == null) {
                throw new IllegalArgumentException("optimizationLevel must not be null");
            }
            if (cudaDeviceId < 0) {
                throw new IllegalArgumentException(
                        "cudaDeviceId must be >= 0, found " + cudaDeviceId);
            }
            if (cudaMemoryLimitBytes != 0 && cudaMemoryLimitBytes < MIN_CUDA_MEMORY_LIMIT_BYTES) {
                throw new IllegalArgumentException(
                        "cudaMemoryLimitBytes must be 0 (no limit) or at least "
                                + MIN_CUDA_MEMORY_LIMIT_BYTES
                                + " (1 MiB), found "
                                + cudaMemoryLimitBytes);
            }
            if (cudaMemoryShares == null) {
                throw new IllegalArgumentException("cudaMemoryShares must not be null");
            }
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException(
                        "intraOpThreads must be >= 0 (0 = ONNX Runtime default), found "
                                + intraOpThreads);
            }
            if (interOpThreads < 0) {
                throw new IllegalArgumentException(
                        "interOpThreads must be >= 0 (0 = ONNX Runtime default), found "
                                + interOpThreads);
            }
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException(
                        "maxBatchSize must be >= 1, found " + maxBatchSize);
            }
            return new EngineConfig(this);
        }
    }
}
