package io.inctrlstream.model.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.inctrlstream.model.BundleManifest.Dim;
import io.inctrlstream.model.BundleManifest.ElementType;
import io.inctrlstream.model.BundleManifest.GraphSpec;
import io.inctrlstream.model.BundleManifest.TensorSpec;
import io.inctrlstream.model.ModelException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One ONNX Runtime session of a bundle graph, with its manifest spec: checks that the session's
 * inputs and outputs are the manifest's, and runs it, turning ONNX Runtime failures into
 * INFERENCE_FAILED naming the graph. {@code run} is thread-safe (ONNX Runtime sessions are).
 */
public final class OrtGraph implements AutoCloseable {
    /**
     * How ONNX Runtime words a failure of the device or of its memory: its CUDA provider reports
     * "CUDA failure N: ...", "CUBLAS failure N: ...", "CUDNN failure N: ..." (and "CUDA error ..."
     * from kernels), its allocators "Failed to allocate memory ..." or std::bad_alloc, and its
     * arena, when a GPU memory limit ({@code gpu_mem_limit}) leaves too little, "Available memory
     * of N is smaller than requested bytes of M".
     */
    private static final List<String> BROKEN_SESSION_SIGNS =
            List.of(
                    "CUDA failure",
                    "CUDA error",
                    "CUBLAS failure",
                    "CUDNN failure",
                    "Failed to allocate memory",
                    "is smaller than requested bytes of",
                    "bad_alloc");

    /**
     * How ONNX Runtime words a failed allocation, to which a run failure adds the arena's limit.
     */
    private static final List<String> ALLOCATION_FAILURE_SIGNS =
            List.of("Failed to allocate memory", "is smaller than requested bytes of", "bad_alloc");

    private final GraphSpec spec;
    private final OrtSession session;
    private final String arenaLimit;

    /**
     * @param arenaLimit what limits the session's device memory arena, in words added to the
     *     message of a failed allocation; null when nothing does
     */
    public OrtGraph(GraphSpec spec, OrtSession session, String arenaLimit) {
        this.spec = spec;
        this.session = session;
        this.arenaLimit = arenaLimit;
    }

    public String name() {
        return spec.name();
    }

    public GraphSpec spec() {
        return spec;
    }

    /**
     * Compares the session's actual inputs and outputs with the manifest: the same names, element
     * types and ranks; every fixed manifest dimension equal (or dynamic in the graph); every
     * symbolic manifest dimension dynamic in the graph.
     *
     * @throws ModelException BUNDLE_MISMATCH naming the graph, the tensor, what the manifest
     *     expects and what the graph has
     */
    public void validate() throws ModelException {
        try {
            compare("input", spec.inputs(), session.getInputInfo());
            compare("output", spec.outputs(), session.getOutputInfo());
        } catch (OrtException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT,
                    describe() + ": ONNX Runtime cannot describe its inputs and outputs: " + e,
                    e);
        }
    }

    private void compare(String kind, List<TensorSpec> expected, Map<String, NodeInfo> actual)
            throws ModelException {
        TreeSet<String> expectedNames = new TreeSet<>();
        for (TensorSpec tensor : expected) {
            expectedNames.add(tensor.name());
        }
        TreeSet<String> actualNames = new TreeSet<>(actual.keySet());
        for (String name : expectedNames) {
            if (!actualNames.contains(name)) {
                throw mismatch(
                        kind
                                + " '"
                                + name
                                + "' listed in the manifest is missing; the graph has "
                                + kind
                                + "s "
                                + actualNames);
            }
        }
        for (String name : actualNames) {
            if (!expectedNames.contains(name)) {
                throw mismatch(
                        kind
                                + " '"
                                + name
                                + "' is not in the manifest, which lists "
                                + expectedNames);
            }
        }
        for (TensorSpec tensor : expected) {
            compareTensor(kind, tensor, actual.get(tensor.name()));
        }
    }

    private void compareTensor(String kind, TensorSpec expected, NodeInfo node)
            throws ModelException {
        String what = kind + " '" + expected.name() + "'";
        if (!(node.getInfo() instanceof TensorInfo)) {
            throw mismatch(what + " must be a tensor, the graph has " + node.getInfo());
        }
        TensorInfo info = (TensorInfo) node.getInfo();
        ElementType expectedType = expected.type();
        OnnxJavaType wanted =
                expectedType == ElementType.INT64 ? OnnxJavaType.INT64 : OnnxJavaType.FLOAT;
        if (info.type != wanted) {
            throw mismatch(
                    what
                            + ": the manifest says element type "
                            + expectedType.jsonName()
                            + ", the graph has "
                            + info.onnxType);
        }
        long[] shape = info.getShape();
        String[] dimNames = info.getDimensionNames();
        if (!fits(expected.shape(), shape)) {
            throw mismatch(
                    what
                            + ": the manifest says shape "
                            + expected.shape()
                            + ", the graph has "
                            + describeShape(shape, dimNames));
        }
    }

    private static boolean fits(List<Dim> expected, long[] actual) {
        if (expected.size() != actual.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            Dim dim = expected.get(i);
            boolean dynamic = actual[i] < 0;
            if (dim.isSymbolic() ? !dynamic : !dynamic && actual[i] != dim.size()) {
                return false;
            }
        }
        return true;
    }

    private static String describeShape(long[] shape, String[] names) {
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0) {
                dims.add(Long.toString(shape[i]));
            } else {
                String name = names != null && i < names.length ? names[i] : "";
                dims.add(name == null || name.isEmpty() ? "<dynamic>" : '"' + name + '"');
            }
        }
        return dims.toString();
    }

    /**
     * Runs the graph. The caller closes the result (and its own input tensors).
     *
     * @throws ModelException INFERENCE_FAILED naming the graph
     */
    public OrtSession.Result run(Map<String, OnnxTensor> inputs) throws ModelException {
        try {
            return session.run(inputs);
        } catch (OrtException | RuntimeException e) {
            throw runFailure(e);
        }
    }

    /**
     * Runs the graph, ONNX Runtime writing the named outputs into the given tensors (which must
     * have the outputs' exact shapes). The caller closes the result and all the tensors.
     *
     * @throws ModelException INFERENCE_FAILED naming the graph
     */
    public OrtSession.Result run(
            Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> pinnedOutputs)
            throws ModelException {
        try {
            return session.run(inputs, pinnedOutputs);
        } catch (OrtException | RuntimeException e) {
            throw runFailure(e);
        }
    }

    private ModelException runFailure(Exception e) {
        return new ModelException(
                runFailureReason(e), runFailureMessage(describe(), e, arenaLimit), e);
    }

    /**
     * The message of a failed run: the graph, ONNX Runtime's message and, for a failed allocation
     * under a limited arena, the limit (so that the reader knows which setting to raise).
     */
    static String runFailureMessage(String graph, Exception failure, String arenaLimit) {
        String message = String.valueOf(failure.getMessage());
        String text = graph + " failed to run: " + message;
        if (arenaLimit != null && ALLOCATION_FAILURE_SIGNS.stream().anyMatch(message::contains)) {
            text += " (" + arenaLimit + ")";
        }
        return text;
    }

    /**
     * Why a run failed: {@link ModelException.Reason#SESSION_BROKEN} when the device or the memory
     * under the session failed (an execution provider failure, or ONNX Runtime's messages for CUDA,
     * cuBLAS and cuDNN errors and for failed allocations), else INFERENCE_FAILED.
     */
    static ModelException.Reason runFailureReason(Exception failure) {
        if (failure instanceof OrtException
                && ((OrtException) failure).getCode() == OrtException.OrtErrorCode.ORT_EP_FAIL) {
            return ModelException.Reason.SESSION_BROKEN;
        }
        String message = String.valueOf(failure.getMessage());
        for (String sign : BROKEN_SESSION_SIGNS) {
            if (message.contains(sign)) {
                return ModelException.Reason.SESSION_BROKEN;
            }
        }
        return ModelException.Reason.INFERENCE_FAILED;
    }

    /** Reads a float output of a result in full. */
    public float[] floatOutput(OrtSession.Result result, String output) throws ModelException {
        OnnxTensor tensor =
                result.get(output)
                        .filter(OnnxTensor.class::isInstance)
                        .map(OnnxTensor.class::cast)
                        .orElseThrow(
                                () ->
                                        new ModelException(
                                                ModelException.Reason.INFERENCE_FAILED,
                                                describe()
                                                        + " returned no tensor named '"
                                                        + output
                                                        + "'; it returned "
                                                        + outputNames(result)));
        FloatBuffer buffer = tensor.getFloatBuffer();
        if (buffer == null) {
            throw new ModelException(
                    ModelException.Reason.INFERENCE_FAILED,
                    describe()
                            + " output '"
                            + output
                            + "' is not float32 but "
                            + tensor.getInfo().type);
        }
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static List<String> outputNames(OrtSession.Result result) {
        List<String> names = new ArrayList<>();
        result.forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    private String describe() {
        return "graph " + spec.name() + " (" + spec.file() + ")";
    }

    private ModelException mismatch(String problem) {
        return new ModelException(
                ModelException.Reason.BUNDLE_MISMATCH, describe() + ": " + problem);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(describe() + " could not be closed: " + e, e);
        }
    }

    @Override
    public String toString() {
        return describe() + " " + Arrays.toString(spec.inputs().toArray());
    }
}
