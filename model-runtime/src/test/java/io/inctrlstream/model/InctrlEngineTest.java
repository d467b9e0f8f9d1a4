package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.inctrlstream.model.internal.GraphSessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening, argument checks, lifecycle, devices and concurrency of the engine on the tiny bundle.
 */
class InctrlEngineTest {
    private static ModelBundle bundle;
    private static InctrlEngine engine;
    private static List<ImageFeatures> shots;
    private static List<ImageFeatures> queries;

    @BeforeAll
    static void open() throws ModelException {
        bundle = TinyBundle.load();
        engine = InctrlEngine.open(bundle, EngineConfig.builder().intraOpThreads(1).build());
        Golden golden = Golden.load();
        List<float[]> pixels = new ArrayList<>();
        for (String shot : golden.shots()) {
            pixels.add(golden.normalizedCrop(shot, bundle.manifest().preprocess()));
        }
        shots = engine.encode(pixels);
        pixels.clear();
        for (String query : golden.queries()) {
            pixels.add(golden.normalizedCrop(query, bundle.manifest().preprocess()));
        }
        queries = engine.encode(pixels);
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void graphWithRenamedOutputIsRejectedAtOpen(@TempDir Path copy)
            throws IOException, ModelException {
        TinyBundle.copyTo(copy);
        Path scorer = copy.resolve("scorer.onnx");
        byte[] bytes = Files.readAllBytes(scorer);
        int replaced = replaceAll(bytes, "final_score", "final_scorX");
        assertThat(replaced).isPositive();
        Files.write(scorer, bytes);
        ModelBundleTest.rehash(copy, "scorer.onnx");
        ModelBundle renamed = ModelBundle.load(copy);

        assertThatThrownBy(() -> InctrlEngine.open(renamed, EngineConfig.defaults()))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(ModelException.Reason.BUNDLE_MISMATCH))
                .hasMessage(
                        "graph scorer (scorer.onnx): output 'final_score' listed in the manifest is"
                                + " missing; the graph has outputs [final_scorX, holistic_score,"
                                + " image_score, patch_map, patch_score, text_score]");
    }

    @Test
    void encodeAndScoreChecksItsArguments() throws ModelException {
        int perImage = 3 * 240 * 240;
        ShotBank bank = engine.buildShotBank(shots, "candle");

        assertThatThrownBy(
                        () ->
                                engine.encodeAndScore(
                                        List.of(new float[perImage], new float[perImage]),
                                        List.of(bank)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected one bank per image (2), found 1 banks");
        assertThatThrownBy(() -> engine.encodeAndScore(List.of(new float[5]), List.of(bank)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("images[0] must hold 3*240*240 = 172800 values, found 5");
        assertThat(engine.encodeAndScore(List.of(), List.of())).isEmpty();
    }

    @Test
    void encodeChecksSizes() {
        int perImage = 3 * 240 * 240;

        assertThatThrownBy(() -> engine.encode(new float[perImage + 1], 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "pixels must hold batch*3*240*240 = 172800 values for batch 1, found"
                                + " 172801");
        assertThatThrownBy(() -> engine.encode(new float[0], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch must be >= 1, found 0");
        assertThatThrownBy(() -> engine.encode(List.of(new float[perImage], new float[3])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("images[1] must hold 3*240*240 = 172800 values, found 3");
    }

    @Test
    void emptyInputsGiveEmptyOutputs() throws ModelException {
        ShotBank bank = engine.buildShotBank(shots, "capsule");

        assertThat(engine.encode(List.of())).isEmpty();
        assertThat(engine.score(bank, List.of())).isEmpty();
    }

    @Test
    void shotBankNeedsShotsAndACategory() {
        assertThatThrownBy(() -> engine.buildShotBank(List.of(), "capsule"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a shot bank needs at least one shot, found none");
        assertThatThrownBy(() -> engine.buildShotBank(shots, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category must be a non-blank name, found \" \"");
        assertThatThrownBy(() -> engine.buildShotBank(shots, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category must be a non-blank name, found null");
        assertThatThrownBy(() -> engine.prototypes(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category must be a non-blank name, found \"\"");
    }

    @Test
    void refusesACategoryLongerThanTheLimitBeforeTokenizingIt() throws ModelException {
        String longest = "c".repeat(Categories.MAX_LENGTH);
        String tooLong = longest + "c";
        assertThatThrownBy(() -> engine.buildShotBank(shots, tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category is too long: expected at most 256 characters, found 257");
        assertThatThrownBy(() -> engine.prototypes(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category is too long: expected at most 256 characters, found 257");
        assertThatThrownBy(() -> engine.computePrototypes(" ".repeat(1_000_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category is too long: expected at most 256 characters, found 1000000");
        try (ShotBank bank = engine.buildShotBank(shots, longest)) {
            assertThat(bank.category()).isEqualTo(longest);
        }
    }

    @Test
    void shotBankHoldsNormalizedColumnsAndTheMeanOfAdapted() throws ModelException {
        ShotBank bank = engine.buildShotBank(shots, "capsule");
        int columns = bank.shotPatches();
        float[] data = new float[bank.bank().remaining()];
        bank.bank().get(data);

        assertThat(bank.shotCount()).isEqualTo(shots.size());
        assertThat(columns).isEqualTo(shots.size() * bank.patches());
        for (int layer = 0; layer < bank.taps(); layer++) {
            for (int column = 0; column < columns; column += 97) {
                double squares = 0;
                for (int c = 0; c < bank.width(); c++) {
                    double v = data[(layer * bank.width() + c) * columns + column];
                    squares += v * v;
                }
                assertThat(Math.sqrt(squares)).isCloseTo(1.0, offset(1e-5));
            }
        }
        // Column k*N + j of layer l is shot k's token j of layer l, scaled.
        int k = shots.size() - 1;
        int j = 17;
        int layer = 2;
        float[] tokens = shots.get(k).patchTokens();
        int source = (layer * bank.patches() + j) * bank.width();
        double ratio =
                data[layer * bank.width() * columns + k * bank.patches() + j] / tokens[source];
        for (int c = 1; c < bank.width(); c++) {
            assertThat(data[(layer * bank.width() + c) * columns + k * bank.patches() + j])
                    .isCloseTo((float) (tokens[source + c] * ratio), offset(1e-6f));
        }
        float[] mean = bank.shotAdaptedMean();
        for (int e = 0; e < mean.length; e++) {
            double sum = 0;
            for (ImageFeatures shot : shots) {
                sum += shot.adapted()[e];
            }
            assertThat(mean[e]).isCloseTo((float) (sum / shots.size()), offset(1e-6f));
        }
    }

    @Test
    void bankOfAnotherModelIsAMismatch() throws ModelException {
        ShotBank bank = engine.buildShotBank(shots, "capsule");
        ShotBank foreign =
                ShotBank.create(
                        "inctrl-official@1",
                        bank.category(),
                        bank.shotCount(),
                        bank.taps(),
                        bank.width(),
                        bank.patches(),
                        bank.bankBytes(),
                        bank.shotAdaptedMean(),
                        bank.prototypes());

        assertThatThrownBy(() -> engine.score(foreign, queries))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(ModelException.Reason.SHOT_BANK_MISMATCH))
                .hasMessage(
                        "shot bank for category 'capsule' was built for model inctrl-official@1,"
                                + " this engine runs inctrl-tiny@1");
    }

    @Test
    void queriesOfOtherDimensionsAreRejected() throws ModelException {
        ShotBank bank = engine.buildShotBank(shots, "capsule");
        ImageFeatures query = queries.get(0);
        ImageFeatures narrow =
                ImageFeatures.of(
                        query.taps(),
                        query.patches(),
                        1,
                        new float[query.taps() * query.patches()],
                        query.embedding(),
                        query.adapted());

        assertThatThrownBy(() -> engine.score(bank, List.of(query, narrow)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("queries[1] has dimensions (taps 3, patches 225, width 1,");
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        ShotBank bank = engine.buildShotBank(shots, "capsule");
        List<ScoreResult> expected = engine.score(bank, queries);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<ScoreResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<ScoreResult>> task =
                        () -> {
                            start.await();
                            return engine.score(bank, queries);
                        };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<List<ScoreResult>> future : futures) {
                assertThat(future.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedEngineRefusesWork() throws ModelException {
        InctrlEngine closing =
                InctrlEngine.open(bundle, EngineConfig.builder().intraOpThreads(1).build());
        ShotBank bank = closing.buildShotBank(shots, "capsule");
        closing.close();
        closing.close();

        String message = "engine for inctrl-tiny@1 is closed";
        assertThatThrownBy(() -> closing.encode(new float[3 * 240 * 240], 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> closing.encode(List.of(new float[3 * 240 * 240])))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> closing.buildShotBank(shots, "capsule"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> closing.score(bank, queries))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
        assertThatThrownBy(
                        () ->
                                closing.encodeAndScore(
                                        List.of(new float[3 * 240 * 240]), List.of(bank)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> closing.prototypes("capsule"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> closing.computePrototypes("capsule"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
        assertThat(closing.modelId()).isEqualTo("inctrl-tiny@1");
    }

    @Test
    void cudaRequestWithoutCudaFallsBackToCpuWithAWarning() throws ModelException {
        Assumptions.assumeFalse(cudaProviderPresent(), "this ONNX Runtime build has CUDA");
        try (CapturedLogs logs = CapturedLogs.of(GraphSessions.class);
                InctrlEngine cuda =
                        InctrlEngine.open(
                                bundle,
                                EngineConfig.builder()
                                        .device(Device.CUDA)
                                        .intraOpThreads(1)
                                        .build())) {
            assertThat(cuda.device()).isEqualTo(Device.CPU);
            assertThat(logs.messages())
                    .containsExactly(
                            "WARN CUDA device 0 was requested for model inctrl-tiny@1 but cannot be"
                                    + " used: the ONNX Runtime library on the classpath has no CUDA"
                                    + " provider (it is the CPU artifact 'onnxruntime'; build with"
                                    + " the Maven profile 'gpu' to use 'onnxruntime_gpu'); running"
                                    + " on the CPU instead");
            assertThat(cuda.score(cuda.buildShotBank(shots, "capsule"), queries))
                    .isEqualTo(engine.score(engine.buildShotBank(shots, "capsule"), queries));
        }
    }

    @Test
    void cudaRequestWithAMemoryLimitWithoutCudaFallsBackToCpuAsWithout() throws ModelException {
        Assumptions.assumeFalse(cudaProviderPresent(), "this ONNX Runtime build has CUDA");
        try (CapturedLogs logs = CapturedLogs.of(GraphSessions.class);
                InctrlEngine cuda =
                        InctrlEngine.open(
                                bundle,
                                EngineConfig.builder()
                                        .device(Device.CUDA)
                                        .cudaMemoryLimitBytes(2L << 30)
                                        .intraOpThreads(1)
                                        .build())) {
            assertThat(cuda.device()).isEqualTo(Device.CPU);
            assertThat(logs.messages())
                    .as("the CUDA provider options are never made without the CUDA provider")
                    .containsExactly(
                            "WARN CUDA device 0 was requested for model inctrl-tiny@1 but cannot be"
                                    + " used: the ONNX Runtime library on the classpath has no CUDA"
                                    + " provider (it is the CPU artifact 'onnxruntime'; build with"
                                    + " the Maven profile 'gpu' to use 'onnxruntime_gpu'); running"
                                    + " on the CPU instead");
        }
    }

    @Test
    void cudaRequestWithoutCudaFailsWhenFallbackIsOff() {
        Assumptions.assumeFalse(cudaProviderPresent(), "this ONNX Runtime build has CUDA");

        assertThatThrownBy(
                        () ->
                                InctrlEngine.open(
                                        bundle,
                                        EngineConfig.builder()
                                                .device(Device.CUDA)
                                                .cudaDeviceId(1)
                                                .allowCpuFallback(false)
                                                .build()))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(ModelException.Reason.DEVICE_UNAVAILABLE))
                .hasMessage(
                        "CUDA device 1 was requested but cannot be used: the ONNX Runtime library"
                                + " on the classpath has no CUDA provider (it is the CPU artifact"
                                + " 'onnxruntime'; build with the Maven profile 'gpu' to use"
                                + " 'onnxruntime_gpu'); CPU fallback is disabled"
                                + " (allowCpuFallback=false)");
    }

    @Test
    void gpuBuildOnAHostWithoutUsableCudaFallsBackSayingWhy() throws ModelException {
        Assumptions.assumeTrue(
                cudaProviderPresent() && whyCudaIsUnusable().isPresent(),
                "runs with the GPU build (-Pgpu) on a host whose CUDA cannot be used");
        try (CapturedLogs logs = CapturedLogs.of(GraphSessions.class);
                InctrlEngine cuda =
                        InctrlEngine.open(
                                bundle,
                                EngineConfig.builder()
                                        .device(Device.CUDA)
                                        .cudaMemoryLimitBytes(1L << 30)
                                        .intraOpThreads(1)
                                        .build())) {
            assertThat(cuda.device()).isEqualTo(Device.CPU);
            assertThat(logs.messages())
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith(
                            "WARN CUDA device 0 was requested for model inctrl-tiny@1 but cannot be"
                                    + " used: ")
                    .endsWith("; running on the CPU instead")
                    .doesNotContain("has no CUDA provider");
            assertThat(cuda.score(cuda.buildShotBank(shots, "capsule"), queries))
                    .hasSameSizeAs(queries);
        }
    }

    @Test
    void scoresOnCudaMatchTheCpu() throws ModelException {
        Assumptions.assumeTrue(
                whyCudaIsUnusable().isEmpty(),
                () -> "CUDA test skipped: " + whyCudaIsUnusable().orElse(""));
        try (InctrlEngine cuda =
                InctrlEngine.open(
                        bundle,
                        EngineConfig.builder()
                                .device(Device.CUDA)
                                .allowCpuFallback(false)
                                .build())) {
            assertThat(cuda.device()).isEqualTo(Device.CUDA);
            Golden golden = Golden.load();
            List<float[]> pixels = new ArrayList<>();
            for (String query : golden.queries()) {
                pixels.add(golden.normalizedCrop(query, bundle.manifest().preprocess()));
            }
            List<float[]> shotPixels = new ArrayList<>();
            for (String shot : golden.shots()) {
                shotPixels.add(golden.normalizedCrop(shot, bundle.manifest().preprocess()));
            }
            ShotBank bank = cuda.buildShotBank(cuda.encode(shotPixels), golden.category());
            List<ScoreResult> results = cuda.score(bank, cuda.encode(pixels));
            for (int i = 0; i < results.size(); i++) {
                assertThat((double) results.get(i).finalScore())
                        .isCloseTo(
                                golden.components(golden.queries().get(i)).finalScore(),
                                offset(1e-3));
            }
        }
    }

    @Test
    void cudaWithAMemoryLimitOpensOnCudaAndScoresAsTheCpu() throws ModelException {
        Assumptions.assumeTrue(
                whyCudaIsUnusable().isEmpty(),
                () -> "CUDA test skipped: " + whyCudaIsUnusable().orElse(""));
        try (InctrlEngine cuda =
                InctrlEngine.open(
                        bundle,
                        EngineConfig.builder()
                                .device(Device.CUDA)
                                .cudaMemoryLimitBytes(1L << 30)
                                .allowCpuFallback(false)
                                .build())) {
            assertThat(cuda.device()).isEqualTo(Device.CUDA);
            List<ScoreResult> onCuda = cuda.score(cuda.buildShotBank(shots, "capsule"), queries);
            List<ScoreResult> onCpu = engine.score(engine.buildShotBank(shots, "capsule"), queries);
            assertThat(onCuda).hasSameSizeAs(onCpu);
            for (int i = 0; i < onCuda.size(); i++) {
                assertThat((double) onCuda.get(i).finalScore())
                        .isCloseTo(onCpu.get(i).finalScore(), offset(1e-3));
            }
        }
    }

    private static boolean cudaProviderPresent() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    private static java.util.Optional<String> whyCudaUnusable;

    /**
     * Why the model cannot run on CUDA device 0 here, empty if it can: the build may lack the CUDA
     * provider (the CPU artifact), or have it (-Pgpu) on a host without a GPU or CUDA 12 libraries.
     * Found once by opening the bundle on CUDA without fallback.
     */
    private static synchronized java.util.Optional<String> whyCudaIsUnusable() {
        if (whyCudaUnusable == null) {
            if (!cudaProviderPresent()) {
                whyCudaUnusable =
                        java.util.Optional.of(
                                "this ONNX Runtime build has no CUDA provider (build with -Pgpu"
                                        + " on a machine with an NVIDIA GPU)");
            } else {
                try (InctrlEngine probe =
                        InctrlEngine.open(
                                bundle,
                                EngineConfig.builder()
                                        .device(Device.CUDA)
                                        .allowCpuFallback(false)
                                        .intraOpThreads(1)
                                        .build())) {
                    whyCudaUnusable = java.util.Optional.empty();
                } catch (ModelException e) {
                    whyCudaUnusable =
                            java.util.Optional.of(
                                    "CUDA device 0 cannot be used: " + e.getMessage());
                }
            }
        }
        return whyCudaUnusable;
    }

    private static int replaceAll(byte[] data, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
        byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
        int count = 0;
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            System.arraycopy(replacement, 0, data, i, replacement.length);
            count++;
        }
        return count;
    }
}
