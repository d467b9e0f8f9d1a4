package io.inctrlstream.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtException.OrtErrorCode;
import io.inctrlstream.model.ModelException.Reason;
import org.junit.jupiter.api.Test;

/** How a failed run is classified: a broken device or memory, or an ordinary failure. */
class OrtGraphTest {
    @Test
    void deviceAndMemoryFailuresMeanTheSessionIsBroken() {
        assertThat(
                        OrtGraph.runFailureReason(
                                new OrtException(
                                        OrtErrorCode.ORT_FAIL,
                                        "CUDA failure 700: an illegal memory access was encountered"
                                                + " ; GPU=0 ; hostname=tm-1 ; expr=cudaMemcpy")))
                .isEqualTo(Reason.SESSION_BROKEN);
        assertThat(
                        OrtGraph.runFailureReason(
                                new OrtException(
                                        OrtErrorCode.ORT_RUNTIME_EXCEPTION,
                                        "CUBLAS failure 14: CUBLAS_STATUS_INTERNAL_ERROR")))
                .isEqualTo(Reason.SESSION_BROKEN);
        assertThat(
                        OrtGraph.runFailureReason(
                                new OrtException(
                                        OrtErrorCode.ORT_RUNTIME_EXCEPTION,
                                        "Failed to allocate memory for requested buffer of size"
                                                + " 123456789")))
                .isEqualTo(Reason.SESSION_BROKEN);
        assertThat(
                        OrtGraph.runFailureReason(
                                new OrtException(
                                        OrtErrorCode.ORT_RUNTIME_EXCEPTION,
                                        "Non-zero status code returned while running MatMul node."
                                                + " Name:'/blocks.11/attn/MatMul' Status Message:"
                                                + " Available memory of 33554432 is smaller than"
                                                + " requested bytes of 47185920")))
                .as("the arena under a GPU memory limit is full")
                .isEqualTo(Reason.SESSION_BROKEN);
        assertThat(
                        OrtGraph.runFailureReason(
                                new OrtException(OrtErrorCode.ORT_EP_FAIL, "provider failed")))
                .isEqualTo(Reason.SESSION_BROKEN);
    }

    @Test
    void otherFailuresAreOrdinaryInferenceFailures() {
        assertThat(
                        OrtGraph.runFailureReason(
                                new OrtException(
                                        OrtErrorCode.ORT_INVALID_ARGUMENT,
                                        "Got invalid dimensions for input: pixels")))
                .isEqualTo(Reason.INFERENCE_FAILED);
        assertThat(OrtGraph.runFailureReason(new IllegalStateException("closed")))
                .isEqualTo(Reason.INFERENCE_FAILED);
    }

    @Test
    void aFailedAllocationUnderALimitedArenaSaysWhatLimitsIt() {
        OrtException full =
                new OrtException(
                        OrtErrorCode.ORT_RUNTIME_EXCEPTION,
                        "Available memory of 33554432 is smaller than requested bytes of 47185920");
        String limit = "its CUDA memory arena holds at most 33554432 bytes";

        assertThat(OrtGraph.runFailureMessage("graph scorer (scorer.onnx)", full, limit))
                .isEqualTo(
                        "graph scorer (scorer.onnx) failed to run: Error code -"
                                + " ORT_RUNTIME_EXCEPTION - message: Available memory of 33554432"
                                + " is smaller than requested bytes of 47185920 (its CUDA memory"
                                + " arena holds at most 33554432 bytes)");
        assertThat(OrtGraph.runFailureMessage("graph scorer (scorer.onnx)", full, null))
                .as("no limit")
                .isEqualTo(
                        "graph scorer (scorer.onnx) failed to run: Error code -"
                                + " ORT_RUNTIME_EXCEPTION - message: Available memory of 33554432"
                                + " is smaller than requested bytes of 47185920");
        assertThat(
                        OrtGraph.runFailureMessage(
                                "graph scorer (scorer.onnx)",
                                new OrtException(
                                        OrtErrorCode.ORT_INVALID_ARGUMENT, "invalid dimensions"),
                                limit))
                .as("not an allocation")
                .isEqualTo(
                        "graph scorer (scorer.onnx) failed to run: Error code -"
                                + " ORT_INVALID_ARGUMENT - message: invalid dimensions");
    }
}
