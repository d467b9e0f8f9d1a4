package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inctrlstream.model.internal.Int8KernelCheck;
import io.inctrlstream.model.internal.Int8KernelCheck.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which CPUs multiply 8-bit int8 weights exactly, read from {@code /proc/cpuinfo}, and the engine's
 * answer to an int8 bundle on each. The flag lines are those of an AVX2-only AMD Zen 3 (where the
 * tiny bundle's 8-bit weights moved the final score by 0.15) and an AVX-512 VNNI Zen 4.
 */
class Int8KernelCheckTest {
    private static final String ZEN3_FLAGS =
            "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu vme sse sse2 ssse3 fma"
                    + " sse4_1 sse4_2 avx f16c avx2 bmi2 sha_ni vaes vpclmulqdq\n"
                    + "bogomips\t: 4890.80\n";
    private static final String ZEN4_FLAGS =
            "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512_bf16"
                    + " avx512_vnni avx512_vbmi2\n";
    private static final String ALDER_LAKE_FLAGS = "flags\t: sse2 avx avx2 avx_vnni\n";

    @Test
    void x86WithoutVnniSaturatesEightBitWeights() {
        assertThat(Int8KernelCheck.of("amd64", Optional.of(ZEN3_FLAGS)))
                .isEqualTo(Verdict.SATURATES_EIGHT_BY_EIGHT_BITS);
        assertThat(Int8KernelCheck.of("x86_64", Optional.of(ZEN3_FLAGS)))
                .isEqualTo(Verdict.SATURATES_EIGHT_BY_EIGHT_BITS);
    }

    @Test
    void vnniOrAnotherArchitectureIsExact() {
        assertThat(Int8KernelCheck.of("amd64", Optional.of(ZEN4_FLAGS))).isEqualTo(Verdict.EXACT);
        assertThat(Int8KernelCheck.of("amd64", Optional.of(ALDER_LAKE_FLAGS)))
                .isEqualTo(Verdict.EXACT);
        assertThat(Int8KernelCheck.of("aarch64", Optional.empty())).isEqualTo(Verdict.EXACT);
    }

    @Test
    void x86WithoutReadableFlagsIsUnknown() {
        assertThat(Int8KernelCheck.of("amd64", Optional.empty())).isEqualTo(Verdict.UNKNOWN);
        assertThat(Int8KernelCheck.of("amd64", Optional.of("processor\t: 0\n")))
                .isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void eightBitInt8BundleIsRefusedWhereTheKernelSaturates() throws ModelException {
        BundleManifest eightBits = int8Manifest(8);

        assertThatThrownBy(
                        () ->
                                Int8KernelCheck.check(
                                        eightBits, Verdict.SATURATES_EIGHT_BY_EIGHT_BITS))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(ModelException.Reason.BUNDLE_MISMATCH))
                .hasMessage(
                        "Model "
                                + eightBits.modelId()
                                + " has int8 weights and activations in 8 bits (model.weight_bits"
                                + " and model.activation_bits 8, or none), which this CPU's int8"
                                + " kernel cannot multiply exactly: it has no VNNI (none of"
                                + " [amx_int8, avx512_vnni, avx_vnni] among its flags), so pairs of"
                                + " products saturate at 16 bits and the scores would be wrong;"
                                + " expected a bundle quantized with the defaults of inctrl_export"
                                + " quantize (8-bit weights, 7-bit activations), with --weight-bits"
                                + " 7, or the fp32 bundle");
        assertThatCode(() -> Int8KernelCheck.check(eightBits, Verdict.EXACT))
                .doesNotThrowAnyException();
        assertThatThrownBy(
                        () ->
                                Int8KernelCheck.check(
                                        int8Manifest(8, 8), Verdict.SATURATES_EIGHT_BY_EIGHT_BITS))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("has int8 weights and activations in 8 bits");
    }

    @Test
    void sevenBitWeightsSevenBitActivationsAndFp32BundlesPassEverywhere() throws ModelException {
        for (BundleManifest manifest :
                new BundleManifest[] {
                    int8Manifest(7),
                    int8Manifest(8, 7),
                    int8Manifest(7, 7),
                    BundleManifest.parse(ManifestJson.bytes(ManifestJson.valid()))
                }) {
            for (Verdict verdict : Verdict.values()) {
                try (CapturedLogs logs = CapturedLogs.of(Int8KernelCheck.class)) {
                    Int8KernelCheck.check(manifest, verdict);
                    assertThat(logs.messages()).isEmpty();
                }
            }
        }
    }

    @Test
    void eightBitBundleWhereTheFlagsCannotBeReadOpensWithAWarning() throws ModelException {
        BundleManifest eightBits = int8Manifest(8);
        try (CapturedLogs logs = CapturedLogs.of(Int8KernelCheck.class)) {
            Int8KernelCheck.check(eightBits, Verdict.UNKNOWN);

            assertThat(logs.messages())
                    .containsExactly(
                            "WARN Model "
                                    + eightBits.modelId()
                                    + " has int8 weights and activations in 8 bits, which are"
                                    + " multiplied exactly only on CPUs with VNNI or AMX, and this"
                                    + " CPU's flags could not be read; quantize with the defaults"
                                    + " (8-bit weights, 7-bit activations) to be safe on any CPU");
        }
    }

    /** An int8 manifest with {@code model.weight_bits} and no {@code model.activation_bits}. */
    private static BundleManifest int8Manifest(int weightBits) throws ModelException {
        ObjectNode json = ManifestJson.valid();
        ((ObjectNode) json.get("model")).put("precision", "int8").put("weight_bits", weightBits);
        return BundleManifest.parse(ManifestJson.bytes(json));
    }

    private static BundleManifest int8Manifest(int weightBits, int activationBits)
            throws ModelException {
        ObjectNode json = ManifestJson.valid();
        ((ObjectNode) json.get("model"))
                .put("precision", "int8")
                .put("weight_bits", weightBits)
                .put("activation_bits", activationBits);
        return BundleManifest.parse(ManifestJson.bytes(json));
    }
}
