package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EngineConfigTest {
    @Test
    void defaults() {
        EngineConfig config = EngineConfig.defaults();

        assertThat(config.device()).isEqualTo(Device.CPU);
        assertThat(config.cudaDeviceId()).isZero();
        assertThat(config.cudaMemoryLimitBytes()).as("no limit").isZero();
        assertThat(config.cudaMemoryShares()).isEqualTo(CudaMemoryShares.DEFAULT);
        assertThat(config.allowCpuFallback()).isTrue();
        assertThat(config.intraOpThreads()).isZero();
        assertThat(config.interOpThreads()).isZero();
        assertThat(config.optimizationLevel()).isEqualTo(EngineConfig.OptimizationLevel.ALL);
        assertThat(config.maxBatchSize()).isEqualTo(EngineConfig.DEFAULT_MAX_BATCH_SIZE);
    }

    @Test
    void keepsWhatWasSet() {
        EngineConfig config =
                EngineConfig.builder()
                        .device(Device.CUDA)
                        .cudaDeviceId(1)
                        .cudaMemoryLimitBytes(6L << 30)
                        .cudaMemoryShares(CudaMemoryShares.of(2, 1, 1))
                        .allowCpuFallback(false)
                        .intraOpThreads(2)
                        .interOpThreads(1)
                        .optimizationLevel(EngineConfig.OptimizationLevel.BASIC)
                        .maxBatchSize(5)
                        .build();

        assertThat(config.device()).isEqualTo(Device.CUDA);
        assertThat(config.cudaDeviceId()).isEqualTo(1);
        assertThat(config.cudaMemoryLimitBytes()).isEqualTo(6L << 30);
        assertThat(config.cudaMemoryShares()).isEqualTo(CudaMemoryShares.of(2, 1, 1));
        assertThat(config.allowCpuFallback()).isFalse();
        assertThat(config.intraOpThreads()).isEqualTo(2);
        assertThat(config.interOpThreads()).isEqualTo(1);
        assertThat(config.optimizationLevel()).isEqualTo(EngineConfig.OptimizationLevel.BASIC);
        assertThat(config.maxBatchSize()).isEqualTo(5);
    }

    @Test
    void buildRejectsOutOfRangeValues() {
        assertThatThrownBy(() -> EngineConfig.builder().maxBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBatchSize must be >= 1, found 0");
        assertThatThrownBy(() -> EngineConfig.builder().intraOpThreads(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intraOpThreads must be >= 0 (0 = ONNX Runtime default), found -1");
        assertThatThrownBy(() -> EngineConfig.builder().interOpThreads(-2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interOpThreads must be >= 0 (0 = ONNX Runtime default), found -2");
        assertThatThrownBy(() -> EngineConfig.builder().cudaDeviceId(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cudaDeviceId must be >= 0, found -1");
        assertThatThrownBy(() -> EngineConfig.builder().cudaMemoryLimitBytes(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "cudaMemoryLimitBytes must be 0 (no limit) or at least 1048576 (1 MiB),"
                                + " found -1");
        assertThatThrownBy(() -> EngineConfig.builder().cudaMemoryLimitBytes(4096).build())
                .as("4096 bytes: a limit given in the wrong unit")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "cudaMemoryLimitBytes must be 0 (no limit) or at least 1048576 (1 MiB),"
                                + " found 4096");
        assertThatThrownBy(() -> EngineConfig.builder().cudaMemoryShares(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cudaMemoryShares must not be null");
        assertThatThrownBy(() -> EngineConfig.builder().device(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device must not be null");
    }

    @Test
    void theMemoryLimitTellsConfigurationsApartAndIsShownOnCuda() {
        EngineConfig.Builder cuda = EngineConfig.builder().device(Device.CUDA).cudaDeviceId(2);
        EngineConfig unlimited = cuda.build();
        EngineConfig limited = cuda.cudaMemoryLimitBytes(4L << 30).build();
        EngineConfig sameLimit =
                EngineConfig.builder()
                        .device(Device.CUDA)
                        .cudaDeviceId(2)
                        .cudaMemoryLimitBytes(4L << 30)
                        .build();

        assertThat(limited).isEqualTo(sameLimit).hasSameHashCodeAs(sameLimit);
        assertThat(limited).isNotEqualTo(unlimited);
        assertThat(limited)
                .as("another split")
                .isNotEqualTo(cuda.cudaMemoryShares(CudaMemoryShares.of(1, 1, 1)).build());
        assertThat(limited.toString())
                .isEqualTo(
                        "EngineConfig[device=CUDA, cudaDeviceId=2, cudaMemoryLimitBytes=4294967296,"
                                + " cudaMemoryShares=image_encoder:0.5,scorer:0.4,text_encoder:0.1,"
                                + " allowCpuFallback=true, intraOpThreads=0, interOpThreads=0,"
                                + " optimizationLevel=ALL, maxBatchSize=16]");
        assertThat(EngineConfig.defaults().toString())
                .as("CPU: no CUDA settings shown")
                .isEqualTo(
                        "EngineConfig[device=CPU, allowCpuFallback=true, intraOpThreads=0,"
                                + " interOpThreads=0, optimizationLevel=ALL, maxBatchSize=16]");
    }
}
