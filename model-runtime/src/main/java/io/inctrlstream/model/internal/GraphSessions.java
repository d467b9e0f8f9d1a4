package io.inctrlstream.model.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a bundle's three graphs as ONNX Runtime sessions on the configured device, validated
 * against the manifest. A CUDA request falls back to the CPU, with a warning that says why, when
 * the CUDA provider is absent or fails, unless the configuration forbids it. On CUDA, the sessions
 * get the provider options of {@link CudaProviderOptions} (device, GPU memory limit); they are
 * created only once the CUDA provider is known to be in the ONNX Runtime library, so that the CPU
 * artifact never touches them.
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
        List<OrtGraph> opened = new ArrayList<>();
        boolean complete = false;
        try (OrtCUDAProviderOptions cuda = device == Device.CUDA ? cudaOptions(config) : null;
                OrtSession.SessionOptions options = sessionOptions(config, cuda)) {
            for (String name : GraphContract.GRAPH_NAMES) {
                OrtSession session;
                try {
                    session = environment.createSession(bundle.file(name).toString(), options);
                } catch (OrtException e) {
                    throw new OrtException(
                            e.getCode(),
                            "graph " + name + " (" + bundle.file(name) + "): " + e.getMessage());
                }
                OrtGraph graph = new OrtGraph(bundle.manifest().graph(name), session);
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
     * The CUDA provider's options of {@code config}; closed by the caller once the sessions are
     * created. Creating them loads the CUDA provider library, which fails (OrtException) where CUDA
     * cannot be used.
     */
    private static OrtCUDAProviderOptions cudaOptions(EngineConfig config) throws OrtException {
        OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(config.cudaDeviceId());
        try {
            for (Map.Entry<String, String> option : CudaProviderOptions.of(config).entrySet()) {
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
