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
                        .allowCpuFallback(false)
                        .intraOpThreads(2)
                        .interOpThreads(1)
                        .optimizationLevel(EngineConfig.OptimizationLevel.BASIC)
                        .maxBatchSize(5)
                        .build();

        assertThat(config.device()).isEqualTo(Device.CUDA);
        assertThat(config.cudaDeviceId()).isEqualTo(1);
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
        assertThatThrownBy(() -> EngineConfig.builder().device(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device must not be null");
    }
}
