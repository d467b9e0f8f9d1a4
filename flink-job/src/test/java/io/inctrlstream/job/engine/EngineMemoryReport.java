package io.inctrlstream.job.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.TinyBundle;
import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.ScoringRequest;
import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.ShotBankCodec;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Measures what one engine backend (one subtask's model) takes of native memory, of direct memory
 * (decoded banks, the engine's buffer pool) and of heap, step by step, and checks the decoded
 * banks' direct memory against the figure docs/inspection-job.md computes from the bundle's
 * dimensions. The native memory ONNX Runtime allocates (sessions, weights, arenas) is invisible to
 * the JVM: it is the process's resident set less what the JVM itself has committed, as its native
 * memory tracking (NMT) reports. Not part of the suite (its name is not a test's); run it on
 * demand, with the heap committed up front so that the resident set does not grow with it:
 *
 * <pre>
 * mvn -B -pl flink-job -am test -Dtest=EngineMemoryReport -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DskipPythonTests=true -DargLine="-Xms256m -Xmx256m -XX:+AlwaysPreTouch \
 *     -XX:NativeMemoryTracking=summary" [-Dinctrl.memoryReport.bundle=/path/to/bundle]
 * </pre>
 *
 * It prints a Markdown table and writes it to {@code flink-job/target/engine-memory.md}.
 */
class EngineMemoryReport {
    private static final int LINES = 32;
    private static final int SHOTS = 4;
    private static final int BATCH = 8;
    private static final long DECODED_BANK_BUDGET = 1L << 20;

    private final StringBuilder table =
            new StringBuilder(
                    "| step | resident set (MB) | JVM committed, NMT (MB) | outside the JVM (MB)"
                            + " | direct memory (MB, buffers) | heap used (MB) |\n"
                            + "|---|---:|---:|---:|---:|---:|\n");

    @Test
    void measuresOneEngineBackend() throws Exception {
        Path bundle =
                Path.of(
                        System.getProperty(
                                "inctrl.memoryReport.bundle", TinyBundle.DIRECTORY.toString()));
        ImagePayload frame =
                new ImagePayload(ImageEncoding.JPEG, 640, 480, TestImages.jpeg(640, 480, 90, true));
        List<ImagePayload> shots = new ArrayList<>();
        for (int i = 0; i < SHOTS; i++) {
            shots.add(
                    new ImagePayload(
                            ImageEncoding.JPEG,
                            640,
                            480,
                            TestImages.jpeg(640, 480, 80 + i, false)));
        }
        row("JVM, before any engine");
        EngineBackendSettings settings =
                EngineBackendSettings.builder(bundle.toString())
                        .maxBatchSize(BATCH)
                        .decodedBankCacheBytes(DECODED_BANK_BUDGET)
                        .build();
        try (EngineInferenceBackend backend = EngineInferenceBackend.open(settings, null)) {
            row("engine open: ONNX Runtime loaded, three sessions");
            List<BuiltBank> banks = new ArrayList<>();
            for (int line = 0; line < LINES; line++) {
                banks.add(
                        backend.buildBank(new BankBuildRequest("line-" + line, null, shots, null)));
            }
            row(
                    LINES
                            + " banks of "
                            + SHOTS
                            + " shots built ("
                            + banks.get(0).bytes().length
                            + " bytes each, serialized)");
            for (int line = 0; line < LINES; line++) {
                List<ScoringRequest> requests = new ArrayList<>();
                ShotBankRef ref = new ShotBankRef("line-" + line, 1, banks.get(line).bytes());
                for (int i = 0; i < BATCH; i++) {
                    requests.add(new ScoringRequest("line-" + line, "f" + i, ref, frame, 0.0));
                }
                List<FrameScoreResult> results = backend.scoreBatch(requests);
                assertThat(results).allSatisfy(result -> assertThat(result.isScored()).isTrue());
            }
            row(LINES + " batches of " + BATCH + " frames 640x480 scored, one line each");
            gc();
            row("after a garbage collection");

            BundleManifest manifest = backend.manifest();
            long perShot =
                    (long) manifest.vision().tapLayers().size()
                            * manifest.vision().width()
                            * manifest.vision().patches()
                            * Float.BYTES;
            long perBank = SHOTS * perShot + 3L * manifest.vision().embedDim() * Float.BYTES;
            assertThat(ShotBankCodec.decode(banks.get(0).bytes()).sizeBytes())
                    .as(
                            "direct memory of a decoded bank: taps * width * patches * 4 per shot,"
                                    + " plus a_s and the two text prototypes")
                    .isEqualTo(perBank);
            table.append("\nDecoded bank: ")
                    .append(perBank)
                    .append(" bytes of direct memory (")
                    .append(perShot)
                    .append(" per shot); budget ")
                    .append(DECODED_BANK_BUDGET)
                    .append(" bytes keeps ")
                    .append(DECODED_BANK_BUDGET / perBank)
                    .append(" lines.\n");

            try (EngineInferenceBackend second = EngineInferenceBackend.open(settings, null)) {
                ShotBankRef ref = new ShotBankRef("line-0", 1, banks.get(0).bytes());
                List<ScoringRequest> requests = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    requests.add(new ScoringRequest("line-0", "f" + i, ref, frame, 0.0));
                }
                second.scoreBatch(requests);
                gc();
                row("a second engine (another subtask) open, one batch scored");
            }
        }
        String report = table.toString();
        System.out.println(report);
        Files.writeString(Path.of("target", "engine-memory.md"), report);
    }

    private void row(String step) throws IOException {
        BufferPoolMXBean direct =
                ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                        .filter(pool -> pool.getName().equals("direct"))
                        .findFirst()
                        .orElseThrow();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long resident = residentSetBytes();
        long jvm = jvmCommittedBytes();
        table.append("| ")
                .append(step)
                .append(" | ")
                .append(megabytes(resident))
                .append(" | ")
                .append(megabytes(jvm))
                .append(" | ")
                .append(megabytes(resident < 0 || jvm < 0 ? -1 : resident - jvm))
                .append(" | ")
                .append(megabytes(direct.getMemoryUsed()))
                .append(" (")
                .append(direct.getCount())
                .append(") | ")
                .append(megabytes(heap))
                .append(" |\n");
    }

    /** VmRSS of /proc/self/status, or -1 where there is none. */
    private static long residentSetBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** The JVM's committed native memory as NMT reports it, or -1 when NMT is off. */
    private static long jvmCommittedBytes() {
        try {
            String summary =
                    (String)
                            ManagementFactory.getPlatformMBeanServer()
                                    .invoke(
                                            new ObjectName(
                                                    "com.sun.management:type=DiagnosticCommand"),
                                            "vmNativeMemory",
                                            new Object[] {new String[] {"summary"}},
                                            new String[] {String[].class.getName()});
            Matcher total =
                    Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB")
                            .matcher(summary);
            return total.find() ? Long.parseLong(total.group(2)) * 1024 : -1;
        } catch (JMException e) {
            return -1;
        }
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1f", bytes / (1024.0 * 1024.0));
    }

    /** A collection, and time for the direct buffers' cleaners to run. */
    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
