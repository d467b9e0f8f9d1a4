package io.inctrlstream.job.engine;

import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.ScoringRequest;
import io.inctrlstream.job.inference.ShotBankRef;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores one batch of large frames with the engine backend and prints how it went; run in its own
 * JVM with a bounded heap by {@link EngineInferenceBackendLargeFramesTest}.
 *
 * <p>Arguments: the bundle directory, a 64 x 64 shot image (PNG), then per frame its encoding (JPEG
 * or PNG), width, height and file. Prints {@code scored <n> of <m>}, {@code heatmaps <n>} and
 * {@code peak-heap-bytes <b>} (the sum of the heap pools' peak usage while scoring, garbage
 * included).
 */
public final class LargeFrameBatch {
    private LargeFrameBatch() {}

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        byte[] shot = Files.readAllBytes(Path.of(args[1]));
        List<ImagePayload> frames = new ArrayList<>();
        for (int i = 2; i + 3 < args.length; i += 4) {
            frames.add(
                    new ImagePayload(
                            ImageEncoding.valueOf(args[i]),
                            Integer.parseInt(args[i + 1]),
                            Integer.parseInt(args[i + 2]),
                            Files.readAllBytes(Path.of(args[i + 3]))));
        }
        try (EngineInferenceBackend backend =
                EngineInferenceBackend.open(
                        EngineBackendSettings.builder(bundle.toString())
                                .maxPixels(40_000_000L)
                                .build(),
                        null)) {
            BuiltBank bank =
                    backend.buildBank(
                            new BankBuildRequest(
                                    "line-1",
                                    null,
                                    List.of(new ImagePayload(ImageEncoding.PNG, 64, 64, shot)),
                                    null));
            ShotBankRef ref = new ShotBankRef("line-1", 1, bank.bytes());
            List<ScoringRequest> requests = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                // Threshold 0: every frame may need its heatmap, so every frame keeps its crop.
                requests.add(new ScoringRequest("line-1", "f" + i, ref, frames.get(i), 0.0));
            }
            System.gc();
            List<MemoryPoolMXBean> heap = new ArrayList<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                    heap.add(pool);
                }
            }
            List<FrameScoreResult> results = backend.scoreBatch(requests);
            long peak = 0;
            for (MemoryPoolMXBean pool : heap) {
                peak += pool.getPeakUsage().getUsed();
            }
            long scored = results.stream().filter(FrameScoreResult::isScored).count();
            long heatmaps =
                    results.stream()
                            .filter(
                                    result ->
                                            result.isScored()
                                                    && result.values().heatmapPng() != null)
                            .count();
            System.out.println("scored " + scored + " of " + results.size());
            System.out.println("heatmaps " + heatmaps);
            System.out.println("peak-heap-bytes " + peak);
        }
    }
}
