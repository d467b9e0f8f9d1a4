package io.inctrlstream.job.engine;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.model.BankPrecision;
import io.inctrlstream.model.Categories;
import io.inctrlstream.model.CudaMemoryShares;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.image.DecodeLimits;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

/**
 * What an {@link EngineInferenceBackend} needs to open: the bundle, the device and threads, the
 * batch size handed to ONNX Runtime, the decoding budgets, how banks are stored, the default
 * category and the decoded-bank cache. Immutable and serializable (it travels with the job graph);
 * build with {@link #builder(String)}, validated in {@link Builder#build()}.
 */
public final class EngineBackendSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String bundleDirectory;
    private final Device device;
    private final int cudaDeviceId;
    private final long cudaMemoryLimitBytes;
    private final CudaMemoryShares cudaMemoryShares;
    private final boolean cpuFallback;
    private final int intraOpThreads;
    private final int maxBatchSize;
    private final long maxPixels;
    private final int maxEncodedBytes;
    private final BankPrecision bankPrecision;
    private final String defaultCategory;
    private final long decodedBankCacheBytes;

    private EngineBackendSettings(Builder builder) {
        this.bundleDirectory = builder.bundleDirectory;
        this.device = builder.device;
        this.cudaDeviceId = builder.cudaDeviceId;
        this.cudaMemoryLimitBytes = builder.cudaMemoryLimitBytes;
        this.cudaMemoryShares = builder.cudaMemoryShares;
        this.cpuFallback = builder.cpuFallback;
        this.intraOpThreads = builder.intraOpThreads;
        this.maxBatchSize = builder.maxBatchSize;
        this.maxPixels = builder.maxPixels;
        this.maxEncodedBytes = builder.maxEncodedBytes;
        this.bankPrecision = builder.bankPrecision;
        this.defaultCategory = builder.defaultCategory;
        this.decodedBankCacheBytes = builder.decodedBankCacheBytes;
    }

    /** A builder for the bundle in {@code bundleDirectory}, with the defaults. */
    public static Builder builder(String bundleDirectory) {
        return new Builder(bundleDirectory);
    }

    /**
     * The settings from the job's options.
     *
     * @throws IllegalArgumentException if {@code inctrl.model.bundle} is not set or a value is out
     *     of range (the GPU memory limit and its shares: with the options' names)
     */
    public static EngineBackendSettings from(ReadableConfig config) {
        String bundle =
                config.getOptional(InspectionJobOptions.MODEL_BUNDLE)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                InspectionJobOptions.MODEL_BUNDLE.key()
                                                        + " must name the model bundle directory,"
                                                        + " found no value"));
        long frameMaxBytes = config.get(InspectionJobOptions.FRAME_MAX_BYTES).getBytes();
        MemorySize cudaMemoryLimit = config.get(InspectionJobOptions.CUDA_MEMORY_LIMIT);
        if (cudaMemoryLimit.getBytes() != 0
                && cudaMemoryLimit.getBytes() < EngineConfig.MIN_CUDA_MEMORY_LIMIT_BYTES) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.CUDA_MEMORY_LIMIT.key()
                            + " must be 0 (no limit) or at least 1 mb, found "
                            + cudaMemoryLimit);
        }
        CudaMemoryShares cudaMemoryShares = cudaMemoryShares(config);
        return builder(bundle)
                .device(config.get(InspectionJobOptions.DEVICE))
                .cudaDeviceId(config.get(InspectionJobOptions.CUDA_DEVICE_ID))
                .cudaMemoryLimitBytes(cudaMemoryLimit.getBytes())
                .cudaMemoryShares(cudaMemoryShares)
                .cpuFallback(config.get(InspectionJobOptions.CPU_FALLBACK))
                .intraOpThreads(config.get(InspectionJobOptions.INTRA_OP_THREADS))
                .maxBatchSize(config.get(InspectionJobOptions.BATCH_SIZE))
                .maxPixels(config.get(InspectionJobOptions.MAX_PIXELS))
                .maxEncodedBytes((int) Math.min(Integer.MAX_VALUE, frameMaxBytes))
                .bankPrecision(config.get(InspectionJobOptions.BANK_PRECISION))
                .defaultCategory(config.get(InspectionJobOptions.DEFAULT_CATEGORY))
                .decodedBankCacheBytes(
                        config.get(InspectionJobOptions.DECODED_BANK_CACHE_MEMORY).getBytes())
                .build();
    }

    /**
     * The shares of {@code inctrl.model.cuda-memory-shares}, each parsed as a number.
     *
     * @throws IllegalArgumentException naming the option if a share is not a number, a graph is
     *     missing or unknown, or a share is not positive
     */
    private static CudaMemoryShares cudaMemoryShares(ReadableConfig config) {
        String key = InspectionJobOptions.CUDA_MEMORY_SHARES.key();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Map.Entry<String, String> share :
                config.get(InspectionJobOptions.CUDA_MEMORY_SHARES).entrySet()) {
            try {
                shares.put(share.getKey(), Double.parseDouble(share.getValue().trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        key
                                + ": the share of "
                                + share.getKey()
                                + " must be a number, found '"
                                + share.getValue()
                                + "'",
                        e);
            }
        }
        try {
            return CudaMemoryShares.of(shares);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    public String bundleDirectory() {
        return bundleDirectory;
    }

    public BankPrecision bankPrecision() {
        return bankPrecision;
    }

    /** The category of lines that never set one. */
    public String defaultCategory() {
        return defaultCategory;
    }

    /** How many bytes of decoded banks (direct memory) are kept ready. */
    public long decodedBankCacheBytes() {
        return decodedBankCacheBytes;
    }

    /** The engine's configuration. */
    public EngineConfig engineConfig() {
        return EngineConfig.builder()
                .device(device)
                .cudaDeviceId(cudaDeviceId)
                .cudaMemoryLimitBytes(cudaMemoryLimitBytes)
                .cudaMemoryShares(cudaMemoryShares)
                .allowCpuFallback(cpuFallback)
                .intraOpThreads(intraOpThreads)
                .maxBatchSize(maxBatchSize)
                .build();
    }

    /** The image decoder's budgets. */
    public DecodeLimits decodeLimits() {
        return DecodeLimits.builder().maxPixels(maxPixels).maxEncodedBytes(maxEncodedBytes).build();
    }

    @Override
    public String toString() {
        return "EngineBackendSettings[bundle="
                + bundleDirectory
                + ", "
                + engineConfig()
                + ", "
                + decodeLimits()
                + ", bankPrecision="
                + bankPrecision
                + ", defaultCategory="
                + defaultCategory
                + ", decodedBankCacheBytes="
                + decodedBankCacheBytes
                + "]";
    }

    /** Builds {@link EngineBackendSettings}; every value but the bundle has a default. */
    public static final class Builder {
        private final String bundleDirectory;
        private Device device = Device.CPU;
        private int cudaDeviceId = 0;
        private long cudaMemoryLimitBytes = 0;
        private CudaMemoryShares cudaMemoryShares = CudaMemoryShares.DEFAULT;
        private boolean cpuFallback = true;
        private int intraOpThreads = 0;
        private int maxBatchSize = EngineConfig.DEFAULT_MAX_BATCH_SIZE;
        private long maxPixels = DecodeLimits.DEFAULT_MAX_PIXELS;
        private int maxEncodedBytes = DecodeLimits.DEFAULT_MAX_ENCODED_BYTES;
        private BankPrecision bankPrecision = BankPrecision.FP32;
        private String defaultCategory = "object";
        private long decodedBankCacheBytes = 128L << 20;

        private Builder(String bundleDirectory) {
            this.bundleDirectory = bundleDirectory;
        }

        public Builder device(Device device) {
            this.device = device;
            return this;
        }

        public Builder cudaDeviceId(int cudaDeviceId) {
            this.cudaDeviceId = cudaDeviceId;
            return this;
        }

        /** Default 0: no limit (see {@link EngineConfig#cudaMemoryLimitBytes()}). */
        public Builder cudaMemoryLimitBytes(long cudaMemoryLimitBytes) {
            this.cudaMemoryLimitBytes = cudaMemoryLimitBytes;
            return this;
        }

        /** Default {@link CudaMemoryShares#DEFAULT}. */
        public Builder cudaMemoryShares(CudaMemoryShares cudaMemoryShares) {
            this.cudaMemoryShares = cudaMemoryShares;
            return this;
        }

        public Builder cpuFallback(boolean cpuFallback) {
            this.cpuFallback = cpuFallback;
            return this;
        }

        public Builder intraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        public Builder maxEncodedBytes(int maxEncodedBytes) {
            this.maxEncodedBytes = maxEncodedBytes;
            return this;
        }

        public Builder bankPrecision(BankPrecision bankPrecision) {
            this.bankPrecision = bankPrecision;
            return this;
        }

        public Builder defaultCategory(String defaultCategory) {
            this.defaultCategory = defaultCategory;
            return this;
        }

        /** Default 128 MiB; zero decodes every line's bank for each batch. */
        public Builder decodedBankCacheBytes(long decodedBankCacheBytes) {
            this.decodedBankCacheBytes = decodedBankCacheBytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the bundle directory or default category is empty, or
         *     a value is out of range
         */
        public EngineBackendSettings build() {
            if (bundleDirectory == null || bundleDirectory.isBlank()) {
                throw new IllegalArgumentException(
                        "the model bundle directory must be named, found none");
            }
            Optional<String> categoryProblem = Categories.problem(defaultCategory);
            if (categoryProblem.isPresent()) {
                throw new IllegalArgumentException("the default " + categoryProblem.get());
            }
            Objects.requireNonNull(bankPrecision, "bankPrecision");
            if (decodedBankCacheBytes < 0) {
                throw new IllegalArgumentException(
                        "the decoded bank cache budget must not be negative, found "
                                + decodedBankCacheBytes
                                + " bytes");
            }
            // Validates the rest, with the model runtime's own messages.
            EngineBackendSettings settings = new EngineBackendSettings(this);
            settings.engineConfig();
            settings.decodeLimits();
            return settings;
        }
    }
}
