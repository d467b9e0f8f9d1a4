package io.inctrlstream.model.internal;

import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.GraphPrecision;
import io.inctrlstream.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether ONNX Runtime's int8 kernels on this CPU multiply an int8 bundle's weights exactly. On x86
 * CPUs without VNNI (AVX2 only, such as AMD Zen 3), MLAS multiplies uint8 activations by int8
 * weights with {@code vpmaddubsw}, which adds each pair of products into int16 with saturation:
 * 8-bit weights (up to 127) times 8-bit activations (up to 255) overflow it and the tiny bundle's
 * final score moved by 0.15; 7-bit weights (255 x 63 x 2 = 32130) or 7-bit activations (127 x 127 x
 * 2 = 32258) cannot. VNNI ({@code avx512_vnni}, {@code avx_vnni}) and AMX accumulate in int32, as
 * do other architectures' kernels. A bundle of 8-bit weights and 8-bit activations on a CPU that
 * saturates is refused rather than scored wrongly; where the CPU's flags cannot be read, a warning
 * says so.
 */
public final class Int8KernelCheck {
    private static final Logger LOG = LoggerFactory.getLogger(Int8KernelCheck.class);

    /** The CPU flags that give MLAS an int8 kernel accumulating in int32. */
    static final Set<String> INT32_ACCUMULATING_FLAGS =
            Set.of("avx512_vnni", "avx_vnni", "amx_int8");

    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    /** How this CPU multiplies uint8 by int8. */
    public enum Verdict {
        /** Products are accumulated in int32: every int8 bundle is exact. */
        EXACT,
        /**
         * x86 without VNNI: pairs of products saturate int16, 8-bit weights times 8-bit activations
         * are not exact.
         */
        SATURATES_EIGHT_BY_EIGHT_BITS,
        /** An x86 CPU whose flags could not be read. */
        UNKNOWN
    }

    private Int8KernelCheck() {}

    /** The verdict for the machine this JVM runs on. */
    public static Verdict forThisMachine() {
        return ThisMachine.VERDICT;
    }

    /**
     * The verdict for a JVM architecture ({@code os.arch}) and, on Linux, the text of {@code
     * /proc/cpuinfo} (empty where it cannot be read).
     */
    public static Verdict of(String osArch, Optional<String> cpuInfo) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x86 =
                arch.equals("amd64")
                        || arch.equals("x86_64")
                        || arch.equals("x86")
                        || arch.matches("i[3-6]86");
        if (!x86) {
            return Verdict.EXACT;
        }
        if (cpuInfo.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        Optional<Set<String>> flags =
                cpuInfo.get()
                        .lines()
                        .filter(line -> line.startsWith("flags"))
                        .findFirst()
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .map(list -> Arrays.stream(list.split("\\s+")).collect(Collectors.toSet()));
        if (flags.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        return flags.get().stream().anyMatch(INT32_ACCUMULATING_FLAGS::contains)
                ? Verdict.EXACT
                : Verdict.SATURATES_EIGHT_BY_EIGHT_BITS;
    }

    /**
     * Refuses an int8 bundle of 8-bit weights and 8-bit activations where the CPU saturates them,
     * and warns where it cannot tell; any other bundle passes.
     *
     * @throws ModelException BUNDLE_MISMATCH for such a bundle on a CPU that saturates
     */
    public static void check(BundleManifest manifest, Verdict verdict) throws ModelException {
        if (manifest.model().precision() != GraphPrecision.INT8
                || manifest.model().int8WeightBits() != 8
                || manifest.model().int8ActivationBits() != 8) {
            return;
        }
        if (verdict == Verdict.SATURATES_EIGHT_BY_EIGHT_BITS) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_MISMATCH,
                    "Model "
                            + manifest.modelId()
                            + " has int8 weights and activations in 8 bits (model.weight_bits and"
                            + " model.activation_bits 8, or none), which"
                            + " this CPU's int8 kernel cannot multiply exactly: it has no VNNI (none"
                            + " of "
                            + INT32_ACCUMULATING_FLAGS.stream().sorted().toList()
                            + " among its flags), so pairs of products saturate at 16 bits and the"
                            + " scores would be wrong; expected a bundle quantized with the"
                            + " defaults of inctrl_export quantize (8-bit weights, 7-bit"
                            + " activations), with --weight-bits 7, or the fp32 bundle");
        }
        if (verdict == Verdict.UNKNOWN) {
            LOG.warn(
                    "Model {} has int8 weights and activations in 8 bits, which are multiplied"
                            + " exactly only on CPUs with VNNI or AMX, and this CPU's flags could"
                            + " not be read; quantize with the defaults (8-bit weights, 7-bit"
                            + " activations) to be safe on any CPU",
                    manifest.modelId());
        }
    }

    private static final class ThisMachine {
        static final Verdict VERDICT = of(System.getProperty("os.arch", ""), readCpuInfo());

        private static Optional<String> readCpuInfo() {
            try {
                return Optional.of(Files.readString(CPU_INFO));
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
        }
    }
}
