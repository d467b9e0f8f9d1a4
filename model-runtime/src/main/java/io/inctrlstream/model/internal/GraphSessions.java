package io.inctrlstream.model.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.inctrlstream.model.CudaMemoryShares;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a bundle's three graphs as ONNX Runtime sessions on the configured device, validated
 * against the manifest. A CUDA request falls back to the CPU, with a warning that says why, when
 * the CUDA provider is absent or fails, unless the configuration forbids it. On CUDA, the sessions
 * get the provider options of {@link CudaProviderOptions} (device, each session's part of the GPU
 * memory limit, {@link CudaMemoryShares#parts}); they are created only once the CUDA provider is
 * known to be in the ONNX Runtime library, so that the CPU artifact never touches them.
 */
public final class GraphSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GraphSessions.class);

    static final String NO_CUDA_PROVIDER =
            "the ONNX Runtime library on the classpath has no CUDA provider (it is the CPU"
                    + " artifact 'onnxruntime'; build with the Maven profile 'gpu' to use"
                    + " 'onnxruntime_gpu')";

    private final Device device;
    private final OrtGraph imageEncoder;
    private final OrtGraph scorer;
    private final OrtGraph textEncoder;

    private GraphSessions(
            Device device, OrtGraph imageEncoder, OrtGraph scorer, OrtGraph textEncoder) {
        this.device = device;
        this.imageEncoder = imageEncoder;
        this.scorer = scorer;
        this.textEncoder = textEncoder;
    }

    /**
     * Opens and validates the sessions.
     *
     * @throws ModelException BUNDLE_CORRUPT if ONNX Runtime cannot load a graph, BUNDLE_MISMATCH if
     *     a graph's inputs or outputs differ from the manifest or an int8 bundle's 8-bit weights
     *     would saturate on this CPU ({@link Int8KernelCheck}), DEVICE_UNAVAILABLE if CUDA was
     *     requested, cannot be used and CPU fallback is off
     * @throws IllegalArgumentException on CUDA, when the GPU memory limit leaves a session less
     *     than 1 MiB beyond the bundle's weights
     */
    public static GraphSessions open(ModelBundle bundle, EngineConfig config)
            throws ModelException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        if (config.device() == Device.CUDA) {
            String whyNot;
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                whyNot = NO_CUDA_PROVIDER;
            } else {
                try {
                    return openAll(environment, bundle, config, Device.CUDA);
                } catch (OrtException e) {
                    whyNot = "ONNX Runtime failed to use it: " + e.getMessage();
                }
            }
            if (!config.allowCpuFallback()) {
                throw new ModelException(
                        ModelException.Reason.DEVICE_UNAVAILABLE,
                        "CUDA device "
                                + config.cudaDeviceId()
                                + " was requested but cannot be used: "
                                + whyNot
                                + "; CPU fallback is disabled (allowCpuFallback=false)");
            }
            LOG.warn(
                    "CUDA device {} was requested for model {} but cannot be used: {}; running"
                            + " on the CPU instead",
                    config.cudaDeviceId(),
                    bundle.modelId(),
                    whyNot);
        }
        if (bundle.manifest().model().precision().meantForCuda()) {
            LOG.warn(
                    "Model {} has {} graphs, which are meant for CUDA; on the CPU ONNX Runtime runs"
                            + " them through casts to fp32, slower than the fp32 bundle"
                            + " (docs/gpu.md)",
                    bundle.modelId(),
                    bundle.manifest().model().precision().manifestName());
        }
        Int8KernelCheck.check(bundle.manifest(), Int8KernelCheck.forThisMachine());
        try {
            return openAll(environment, bundle, config, Device.CPU);
        } catch (OrtException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT,
                    "ONNX Runtime cannot load the graphs of " + bundle.modelId() + ": " + e,
                    e);
        }
    }

    /**
     * Opens all three graphs on one device. OrtException means the device (or, on the CPU, a graph
     * file) could not be used; ModelException is a graph that loads but mismatches.
     */
    private static GraphSessions openAll(
            OrtEnvironment environment, ModelBundle bundle, EngineConfig config, Device device)
            throws OrtException, ModelException {
        Map<String, Long> arenaLimits = arenaLimits(bundle, config, device);
        List<OrtGraph> opened = new ArrayList<>();
        boolean complete = false;
        try {
            for (String name : GraphContract.GRAPH_NAMES) {
                OrtGraph graph =
                        openGraph(environment, bundle, config, device, name, arenaLimits.get(name));
                opened.add(graph);
                graph.validate();
            }
            complete = true;
            return new GraphSessions(device, opened.get(0), opened.get(1), opened.get(2));
        } finally {
            if (!complete) {
                opened.forEach(OrtGraph::close);
            }
        }
    }

    /**
     * Each graph's arena limit on {@code device}: on CUDA with a memory limit, the graph's part of
     * it ({@link CudaMemoryShares#parts}, the graph file's bytes taken as its weights); else none.
     *
     * @throws IllegalArgumentException if the limit leaves a session too little beyond the weights
     * @throws ModelException BUNDLE_CORRUPT if a graph file's size cannot be read
     */
    static Map<String, Long> arenaLimits(ModelBundle bundle, EngineConfig config, Device device)
            throws ModelException {
        if (device != Device.CUDA || config.cudaMemoryLimitBytes() == 0) {
            return Collections.emptyMap();
        }
        Map<String, Long> weights = new LinkedHashMap<>();
        for (String name : GraphContract.GRAPH_NAMES) {
            try {
                weights.put(name, Files.size(bundle.file(name)));
            } catch (IOException e) {
                throw new ModelException(
                        ModelException.Reason.BUNDLE_CORRUPT,
                        "cannot read the size of graph " + name + " (" + bundle.file(name) + ")",
                        e);
            }
        }
        Map<String, Long> parts =
                config.cudaMemoryShares().parts(config.cudaMemoryLimitBytes(), weights);
        LOG.info(
                "Model {} on CUDA device {}: memory arenas limited to {} bytes (weights {}, limit"
                        + " {} bytes, shares {})",
                bundle.modelId(),
                config.cudaDeviceId(),
                parts,
                weights,
                config.cudaMemoryLimitBytes(),
                config.cudaMemoryShares());
        return parts;
    }

    /**
     * Opens one graph; on CUDA with the provider options of that graph, whose arena may hold {@code
     * arenaLimit} bytes (null: no limit).
     */
    private static OrtGraph openGraph(
            OrtEnvironment environment,
            ModelBundle bundle,
            EngineConfig config,
            Device device,
            String name,
            Long arenaLimit)
            throws OrtException {
        long limit = arenaLimit == null ? 0 : arenaLimit;
        try (OrtCUDAProviderOptions cuda =
                        device == Device.CUDA ? cudaOptions(config, limit) : null;
                OrtSession.SessionOptions options = sessionOptions(config, cuda)) {
            OrtSession session = environment.createSession(bundle.file(name).toString(), options);
            return new OrtGraph(
                    bundle.manifest().graph(name), session, describeArenaLimit(config, limit));
        } catch (OrtException e) {
            throw new OrtException(
                    e.getCode(),
                    "graph " + name + " (" + bundle.file(name) + "): " + e.getMessage());
        }
    }

    /**
     * What limits a session's CUDA memory arena, for the messages of failed allocations: null
     * without a limit.
     */
    static String describeArenaLimit(EngineConfig config, long arenaLimit) {
        if (arenaLimit == 0) {
            return null;
        }
        return "its CUDA memory arena holds at most "
                + arenaLimit
                + " bytes, its weights and its share of the rest of the engine's limit of "
                + config.cudaMemoryLimitBytes()
                + " bytes (shares "
                + config.cudaMemoryShares()
                + ")";
    }

    /**
     * The CUDA provider's options of a session whose arena may hold {@code arenaLimit} bytes (0: no
     * limit); closed by the caller once the session is created. Creating them loads the CUDA
     * provider library, which fails (OrtException) where CUDA cannot be used.
     */
    private static OrtCUDAProviderOptions cudaOptions(EngineConfig config, long arenaLimit)
            throws OrtException {
        OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(config.cudaDeviceId());
        try {
            for (Map.Entry<String, String> option :
                    CudaProviderOptions.of(config, arenaLimit).entrySet()) {
                cuda.add(option.getKey(), option.getValue());
            }
            return cuda;
        } catch (OrtException | RuntimeException e) {
            cuda.close();
            throw e;
        }
    }

    /** Session options for the CPU, or for CUDA with {@code cuda}'s provider options. */
    private static OrtSession.SessionOptions sessionOptions(
            EngineConfig config, OrtCUDAProviderOptions cuda) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            if (config.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(config.intraOpThreads());
            }
            if (config.interOpThreads() > 0) {
                options.setInterOpNumThreads(config.interOpThreads());
                if (config.interOpThreads() > 1) {
                    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
                }
            }
            options.setOptimizationLevel(optLevel(config.optimizationLevel()));
            if (cuda != null) {
                options.addCUDA(cuda);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static OrtSession.SessionOptions.OptLevel optLevel(
            EngineConfig.OptimizationLevel level) {
        switch (level) {
            case NONE:
                return OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC:
                return OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED:
                return OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL:
            default:
                return OrtSession.SessionOptions.OptLevel.ALL_OPT;
        }
    }

    /** The device the sessions actually run on. */
    public Device device() {
        return device;
    }

    public OrtGraph imageEncoder() {
        return imageEncoder;
    }

    public OrtGraph scorer() {
        return scorer;
    }

    public OrtGraph textEncoder() {
        return textEncoder;
    }

    /** Closes all three sessions, even when closing one of them fails. */
    @Override
    public void close() {
        try (OrtGraph first = imageEncoder;
                OrtGraph second = scorer;
                OrtGraph third = textEncoder) {
            // try-with-resources closes each and keeps the first failure, the others suppressed
        }
    }
}
