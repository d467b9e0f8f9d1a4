package io.inctrlstream.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * The arithmetic of a bundle's graphs ({@code model.precision} in the manifest; fp32 when absent):
 * fp32 (the reference), int8 (the image encoder's products quantized; {@code inctrl_export
 * quantize}; 8-bit weights are refused on x86 CPUs without VNNI, see {@code
 * BundleManifest.ModelInfo#int8WeightBits}) or fp16 (the image encoder in fp16, for CUDA; {@code
 * inctrl_export half}). Every precision keeps fp32 graph inputs and outputs, so the engine runs
 * them alike; on the CPU, ONNX Runtime runs fp16 graphs through casts to fp32, which the engine
 * allows (a GPU TaskManager that falls back keeps scoring) with a warning.
 */
public enum GraphPrecision {
    FP32,
    INT8,
    FP16;

    /** The manifest's spelling: {@code fp32}, {@code int8} or {@code fp16}. */
    public String manifestName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether graphs of this precision are meant for CUDA (slower than fp32 on the CPU). */
    public boolean meantForCuda() {
        return this == FP16;
    }

    /**
     * The precision the manifest names.
     *
     * @throws IllegalArgumentException naming the accepted values if {@code name} is none of them
     */
    public static GraphPrecision fromManifestName(String name) {
        for (GraphPrecision precision : values()) {
            if (precision.manifestName().equals(name)) {
                return precision;
            }
        }
        throw new IllegalArgumentException(
                "expected a precision of "
                        + Arrays.stream(values()).map(GraphPrecision::manifestName).toList()
                        + ", found \""
                        + name
                        + "\"");
    }
}
