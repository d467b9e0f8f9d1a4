package io.inctrlstream.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CUDA provider options of one session (no CUDA needed). */
class CudaProviderOptionsTest {
    private static final EngineConfig CUDA_3 =
            EngineConfig.builder().device(Device.CUDA).cudaDeviceId(3).build();

    @Test
    void withoutALimitOnlyTheDeviceIsSetAndOnnxRuntimesArenaDefaultsStay() {
        assertThat(CudaProviderOptions.of(CUDA_3, 0)).containsExactly(entry("device_id", "3"));
    }

    @Test
    void theSessionsLimitIsPassedInBytesWithTheArenaGrownAsRequested() {
        assertThat(CudaProviderOptions.of(CUDA_3, 5153960755L))
                .containsExactly(
                        entry("device_id", "3"),
                        entry("gpu_mem_limit", "5153960755"),
                        entry("arena_extend_strategy", "kSameAsRequested"));
    }

    @Test
    void theOptionsCannotBeChangedByTheCaller() {
        Map<String, String> options = CudaProviderOptions.of(EngineConfig.defaults(), 0);

        assertThat(options).containsExactly(entry("device_id", "0"));
        assertThatThrownBy(() -> options.put("gpu_mem_limit", "1"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatThrownBy(() -> CudaProviderOptions.of(CUDA_3, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the arena limit must be 0 (none) or positive, found -1");
    }
}
