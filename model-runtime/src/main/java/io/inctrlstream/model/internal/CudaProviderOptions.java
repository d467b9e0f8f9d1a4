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

    /** The most bytes the memory arena of one session holds on the device. */
    public static final String GPU_MEM_LIMIT = "gpu_mem_limit";

    /** How the arena grows: {@code kNextPowerOfTwo} (ONNX Runtime's default) or as requested. */
    public static final String ARENA_EXTEND_STRATEGY = "arena_extend_strategy";

    /** Grows the arena by what is requested, not by a doubled region. */
    public static final String SAME_AS_REQUESTED = "kSameAsRequested";

    private CudaProviderOptions() {}

    /**
     * The provider options of {@code config}, in a fixed order: the device id always; with a GPU
     * memory limit, the limit and the {@code kSameAsRequested} arena growth (by default each
     * extension of the arena reserves twice the previous one, up to the limit, ahead of need; as
     * requested, the arena holds only what the runs asked for). Without a limit, ONNX Runtime's
     * defaults stay (no limit, doubling).
     */
    public static Map<String, String> of(EngineConfig config) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(DEVICE_ID, Integer.toString(config.cudaDeviceId()));
        if (config.cudaMemoryLimitBytes() > 0) {
            options.put(GPU_MEM_LIMIT, Long.toString(config.cudaMemoryLimitBytes()));
            options.put(ARENA_EXTEND_STRATEGY, SAME_AS_REQUESTED);
        }
        return Collections.unmodifiableMap(options);
    }
}
