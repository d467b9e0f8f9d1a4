package io.inctrlstream.model.internal;

import io.inctrlstream.model.EngineConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of ONNX Runtime's CUDA execution provider for an engine's sessions, as the provider's
 * string keys and values (what {@code ai.onnxruntime.providers.OrtCUDAProviderOptions#add} takes).
 * Pure: it needs no CUDA, so that the mapping is tested on any machine.
 */
public final class CudaProviderOptions {
    /** The CUDA device the sessions run on. */
    public static final String DEVICE_ID = "device_id";

    /**
     * The most bytes the memory arena of one session holds on the device: its share of the limit.
     */
    public static final String GPU_MEM_LIMIT = "gpu_mem_limit";

    /** How the arena grows: {@code kNextPowerOfTwo} (ONNX Runtime's default) or as requested. */
    public static final String ARENA_EXTEND_STRATEGY = "arena_extend_strategy";

    /** Grows the arena by what is requested, not by a doubled region. */
    public static final String SAME_AS_REQUESTED = "kSameAsRequested";

    private CudaProviderOptions() {}

    /**
     * The provider options of a session under {@code config} whose arena may hold {@code
     * arenaLimitBytes} (its part of the engine's limit, {@link
     * io.inctrlstream.model.CudaMemoryShares#parts}; 0: no limit), in a fixed order: the device id
     * always; with a limit, the limit and the {@code kSameAsRequested} arena growth (by default
     * each extension of the arena reserves twice the previous one, up to the limit, ahead of need;
     * as requested, the arena holds only what the runs asked for). Without a limit, ONNX Runtime's
     * defaults stay (no limit, doubling).
     *
     * @throws IllegalArgumentException if {@code arenaLimitBytes} is negative
     */
    public static Map<String, String> of(EngineConfig config, long arenaLimitBytes) {
        if (arenaLimitBytes < 0) {
            throw new IllegalArgumentException(
                    "the arena limit must be 0 (none) or positive, found " + arenaLimitBytes);
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put(DEVICE_ID, Integer.toString(config.cudaDeviceId()));
        if (arenaLimitBytes > 0) {
            options.put(GPU_MEM_LIMIT, Long.toString(arenaLimitBytes));
            options.put(ARENA_EXTEND_STRATEGY, SAME_AS_REQUESTED);
        }
        return Collections.unmodifiableMap(options);
    }
}
