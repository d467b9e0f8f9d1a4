package io.inctrlstream.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CUDA provider options an engine configuration maps to (no CUDA needed). */
class CudaProviderOptionsTest {
    @Test
    void withoutALimitOnlyTheDeviceIsSetAndOnnxRuntimesArenaDefaultsStay() {
        Map<String, String> options =
                CudaProviderOptions.of(
                        EngineConfig.builder().device(Device.CUDA).cudaDeviceId(3).build());

        assertThat(options).containsExactly(entry("device_id", "3"));
    }

    @Test
    void aLimitIsPassedInBytesWithTheArenaGrownAsRequested() {
        long eightGib = 8L << 30;
        Map<String, String> options =
                CudaProviderOptions.of(
                        EngineConfig.builder()
                                .device(Device.CUDA)
                                .cudaDeviceId(1)
                                .cudaMemoryLimitBytes(eightGib)
                                .build());

        assertThat(options)
                .containsExactly(
                        entry("device_id", "1"),
                        entry("gpu_mem_limit", "8589934592"),
                        entry("arena_extend_strategy", "kSameAsRequested"));
    }

    @Test
    void theSmallestLimitIsAccepted() {
        Map<String, String> options =
                CudaProviderOptions.of(
                        EngineConfig.builder()
                                .device(Device.CUDA)
                                .cudaMemoryLimitBytes(EngineConfig.MIN_CUDA_MEMORY_LIMIT_BYTES)
                                .build());

        assertThat(options)
                .containsEntry("gpu_mem_limit", "1048576")
                .containsEntry("arena_extend_strategy", "kSameAsRequested");
    }

    @Test
    void theOptionsCannotBeChangedByTheCaller() {
        Map<String, String> options = CudaProviderOptions.of(EngineConfig.defaults());

        assertThat(options).containsExactly(entry("device_id", "0"));
        assertThatThrownBy(() -> options.put("gpu_mem_limit", "1"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
