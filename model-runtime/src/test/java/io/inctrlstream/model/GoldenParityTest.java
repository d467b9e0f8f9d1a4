package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.model.image.ImagePreprocessor;
import io.inctrlstream.model.image.PreprocessSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on the tiny bundle reproduces PyTorch's batch-1 golden vectors: every score component
 * from the stored crops, the final score from the original files (preprocessing in Java), whatever
 * the batch; and the text prototypes from the text encoder.
 */
class GoldenParityTest {
    /** docs/inctrl-reference.md, "Parity target": fp32 from preprocessed tensors. */
    private static final double COMPONENT_TOLERANCE = 1e-4;

    /** The same, starting from encoded image files. */
    private static final double FILE_TOLERANCE = 2e-3;

    private static final double PROTOTYPE_TOLERANCE = 1e-5;
    private static final double BATCH_TOLERANCE = 1e-6;

    /** Bound on what storing a bank in fp16 may move a score (measured drift is printed). */
    private static final double FP16_BANK_TOLERANCE = 1e-3;

    private static Golden golden;
    private static ModelBundle bundle;
    private static InctrlEngine engine;
    private static Map<String, ImageFeatures> cropFeatures;
    private static ShotBank cropBank;

    @BeforeAll
    static void openEngine() throws ModelException {
        golden = Golden.load();
        bundle = TinyBundle.load();
        engine =
                InctrlEngine.open(
                        bundle, EngineConfig.builder().intraOpThreads(2).maxBatchSize(32).build());
        cropFeatures = new LinkedHashMap<>();
        for (String image : allImages()) {
            float[] pixels = golden.normalizedCrop(image, bundle.manifest().preprocess());
            cropFeatures.put(image, engine.encode(List.of(pixels)).get(0));
        }
        cropBank = engine.buildShotBank(features(golden.shots()), golden.category());
    }

    @AfterAll
    static void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void goldenBelongsToThisBundle() {
        assertThat(golden.modelId()).isEqualTo(bundle.modelId());
        assertThat(engine.modelId()).isEqualTo(bundle.modelId());
        assertThat(engine.device()).isEqualTo(Device.CPU);
    }

    @Test
    void encoderOutputsMatchPyTorch() {
        int[] samples = golden.samplePatches();
        double worst = 0;
        for (String image : allImages()) {
            ImageFeatures features = cropFeatures.get(image);
            worst = Math.max(worst, maxAbsDiff(features.embedding(), golden.embedding(image)));
            worst = Math.max(worst, maxAbsDiff(features.adapted(), golden.adapted(image)));
            float[] tokens = features.patchTokens();
            float[][][] expected = golden.patchTokenSamples(image);
            int width = features.width();
            for (int layer = 0; layer < expected.length; layer++) {
                for (int i = 0; i < samples.length; i++) {
                    int offset = (layer * features.patches() + samples[i]) * width;
                    float[] actual = new float[width];
                    System.arraycopy(tokens, offset, actual, 0, width);
                    worst = Math.max(worst, maxAbsDiff(actual, expected[layer][i]));
                }
            }
        }
        System.out.printf("encoder outputs vs PyTorch: max abs diff %.3g%n", worst);
        assertThat(worst).isLessThanOrEqualTo(COMPONENT_TOLERANCE);
    }

    @Test
    void bundlePrototypesAreTheGoldenOnes() throws ModelException {
        TextPrototypes expected = golden.textPrototypes();
        TextPrototypes actual = engine.prototypes(golden.category());

        assertThat(maxAbsDiff(actual.normal(), expected.normal())).isZero();
        assertThat(maxAbsDiff(actual.anomalous(), expected.anomalous())).isZero();
        assertThat(cropBank.prototypes()).isEqualTo(actual);
    }

    @Test
    void everyComponentFromCropsMatchesPyTorch() throws ModelException {
        List<String> queries = golden.queries();
        List<ScoreResult> results = engine.score(cropBank, features(queries));

        double worst = 0;
        for (int i = 0; i < queries.size(); i++) {
            double diff = componentDiff(results.get(i), golden.components(queries.get(i)));
            System.out.printf(
                    "%s: final %.6f (golden %.6f), max component diff %.3g%n",
                    queries.get(i),
                    results.get(i).finalScore(),
                    golden.components(queries.get(i)).finalScore(),
                    diff);
            worst = Math.max(worst, diff);
        }
        System.out.printf("components from crops vs PyTorch: max abs diff %.3g%n", worst);
        assertThat(worst).isLessThanOrEqualTo(COMPONENT_TOLERANCE);
    }

    @Test
    void finalScoresFromOriginalFilesMatchPyTorch() throws ModelException {
        ImagePreprocessor preprocessor =
                new ImagePreprocessor(
                        PreprocessSpec.fromManifest(
                                bundle.manifest().preprocess().imageSize(),
                                bundle.manifest().preprocess().interpolation(),
                                doubles(bundle.manifest().preprocess().mean()),
                                doubles(bundle.manifest().preprocess().std())));
        List<float[]> shotPixels = new ArrayList<>();
        for (String shot : golden.shots()) {
            shotPixels.add(preprocessor.preprocess(golden.original(shot)));
        }
        ShotBank bank = engine.buildShotBank(engine.encode(shotPixels), golden.category());
        List<String> queries = golden.queries();
        float[] batch = new float[queries.size() * preprocessor.tensorLength()];
        for (int i = 0; i < queries.size(); i++) {
            preprocessor.preprocessInto(
                    golden.original(queries.get(i)), batch, i * preprocessor.tensorLength());
        }
        List<ScoreResult> results = engine.score(bank, engine.encode(batch, queries.size()));

        double worst = 0;
        for (int i = 0; i < queries.size(); i++) {
            worst =
                    Math.max(
                            worst,
                            Math.abs(
                                    results.get(i).finalScore()
                                            - golden.components(queries.get(i)).finalScore()));
        }
        System.out.printf("final score from original files vs PyTorch: max abs diff %.3g%n", worst);
        assertThat(worst).isLessThanOrEqualTo(FILE_TOLERANCE);
    }

    @Test
    void scoresDoNotDependOnTheBatch() throws ModelException {
        List<String> queries = golden.queries();
        Map<String, ScoreResult> alone = new LinkedHashMap<>();
        for (String query : queries) {
            alone.put(query, engine.score(cropBank, List.of(cropFeatures.get(query))).get(0));
        }
        List<ImageFeatures> others = otherFrames();
        SplittableRandom random = new SplittableRandom(42);
        double worst = 0;
        boolean bitIdentical = true;
        int comparisons = 0;
        for (int size = 1; size <= 32; size++) {
            // Up to all golden queries per batch, at random positions among other frames.
            List<String> placed = new ArrayList<>();
            for (int i = 0; i < Math.min(size, queries.size()); i++) {
                placed.add(queries.get((size + i) % queries.size()));
            }
            List<ImageFeatures> batch = new ArrayList<>();
            for (int i = 0; i < size - placed.size(); i++) {
                batch.add(others.get(random.nextInt(others.size())));
            }
            int[] positions = new int[placed.size()];
            for (int i = 0; i < placed.size(); i++) {
                positions[i] = random.nextInt(batch.size() + 1);
                for (int j = 0; j < i; j++) {
                    if (positions[j] >= positions[i]) {
                        positions[j]++;
                    }
                }
                batch.add(positions[i], cropFeatures.get(placed.get(i)));
            }
            List<ScoreResult> results = engine.score(cropBank, batch);
            for (int i = 0; i < placed.size(); i++) {
                ScoreResult mixed = results.get(positions[i]);
                ScoreResult single = alone.get(placed.get(i));
                worst = Math.max(worst, componentDiff(mixed, single));
                bitIdentical &= mixed.equals(single);
                comparisons++;
            }
        }
        System.out.printf(
                "batch invariance, %d queries in mixed batches of 1..32: max abs diff %.3g,"
                        + " bit-identical: %s%n",
                comparisons, worst, bitIdentical);
        assertThat(comparisons).isGreaterThan(32);
        assertThat(worst).isLessThanOrEqualTo(BATCH_TOLERANCE);
    }

    @Test
    void encodingDoesNotDependOnTheBatch() throws ModelException {
        List<String> images = allImages();
        List<float[]> pixels = new ArrayList<>();
        for (String image : images) {
            pixels.add(golden.normalizedCrop(image, bundle.manifest().preprocess()));
        }
        List<ImageFeatures> together = engine.encode(pixels);
        double worst = 0;
        boolean bitIdentical = true;
        for (int i = 0; i < images.size(); i++) {
            ImageFeatures alone = cropFeatures.get(images.get(i));
            ImageFeatures batched = together.get(i);
            worst = Math.max(worst, maxAbsDiff(alone.patchTokens(), batched.patchTokens()));
            worst = Math.max(worst, maxAbsDiff(alone.embedding(), batched.embedding()));
            worst = Math.max(worst, maxAbsDiff(alone.adapted(), batched.adapted()));
            bitIdentical &= alone.equals(batched);
        }
        System.out.printf(
                "encoder batch of %d vs one at a time: max abs diff %.3g, bit-identical: %s%n",
                images.size(), worst, bitIdentical);
        assertThat(worst).isLessThanOrEqualTo(BATCH_TOLERANCE);
    }

    @Test
    void encodeAndScoreIsBitIdenticalToEncodeThenScorePerBank() throws ModelException {
        List<String> images = allImages();
        List<float[]> pixels = new ArrayList<>();
        for (String image : images) {
            pixels.add(golden.normalizedCrop(image, bundle.manifest().preprocess()));
        }
        for (int maxBatch : new int[] {32, 3}) {
            try (InctrlEngine sized =
                    InctrlEngine.open(
                            bundle,
                            EngineConfig.builder()
                                    .intraOpThreads(2)
                                    .maxBatchSize(maxBatch)
                                    .build())) {
                ShotBank first = sized.buildShotBank(features(golden.shots()), golden.category());
                ShotBank second = sized.buildShotBank(features(golden.shots()), "candle");
                // Interleaved banks (gathered for the scorer) and one bank for all (as encoded).
                List<ShotBank> interleaved = new ArrayList<>();
                for (int i = 0; i < pixels.size(); i++) {
                    interleaved.add(i % 3 == 1 ? second : first);
                }
                List<ShotBank> one = java.util.Collections.nCopies(pixels.size(), second);
                for (List<ShotBank> banks : List.of(interleaved, one)) {
                    List<ScoreResult> fused = sized.encodeAndScore(pixels, banks);
                    List<ImageFeatures> encoded = sized.encode(pixels);
                    List<ScoreResult> separate = new ArrayList<>(pixels.size());
                    for (int i = 0; i < pixels.size(); i++) {
                        separate.add(null);
                    }
                    for (ShotBank bank : new java.util.LinkedHashSet<>(banks)) {
                        List<Integer> members = new ArrayList<>();
                        List<ImageFeatures> queries = new ArrayList<>();
                        for (int i = 0; i < banks.size(); i++) {
                            if (banks.get(i) == bank) {
                                members.add(i);
                                queries.add(encoded.get(i));
                            }
                        }
                        List<ScoreResult> scored = sized.score(bank, queries);
                        for (int j = 0; j < members.size(); j++) {
                            separate.set(members.get(j), scored.get(j));
                        }
                    }
                    assertThat(fused).as("max batch %d", maxBatch).isEqualTo(separate);
                }
            }
        }
    }

    @Test
    void chunkingLargeBatchesKeepsTheScores() throws ModelException {
        List<ImageFeatures> queries = features(golden.queries());
        List<ScoreResult> whole = engine.score(cropBank, queries);
        try (InctrlEngine chunked =
                InctrlEngine.open(
                        bundle, EngineConfig.builder().intraOpThreads(1).maxBatchSize(2).build())) {
            ShotBank bank = chunked.buildShotBank(features(golden.shots()), golden.category());
            List<ScoreResult> pieces = chunked.score(bank, queries);

            assertThat(pieces).hasSameSizeAs(whole);
            for (int i = 0; i < whole.size(); i++) {
                assertThat(componentDiff(pieces.get(i), whole.get(i)))
                        .isLessThanOrEqualTo(BATCH_TOLERANCE);
            }
        }
    }

    @Test
    void textEncoderReproducesThePrototypes() throws ModelException {
        double worst = 0;
        for (String category : bundle.manifest().prototypes().orElseThrow().categories()) {
            TextPrototypes stored = bundle.precomputedPrototypes().get(category);
            TextPrototypes computed = engine.computePrototypes(category);
            worst = Math.max(worst, maxAbsDiff(computed.normal(), stored.normal()));
            worst = Math.max(worst, maxAbsDiff(computed.anomalous(), stored.anomalous()));
        }
        for (Map.Entry<String, TextPrototypes> entry : golden.categoryPrototypes().entrySet()) {
            if (bundle.precomputedPrototypes().containsKey(entry.getKey())) {
                continue;
            }
            TextPrototypes computed = engine.computePrototypes(entry.getKey());
            worst = Math.max(worst, maxAbsDiff(computed.normal(), entry.getValue().normal()));
            worst = Math.max(worst, maxAbsDiff(computed.anomalous(), entry.getValue().anomalous()));
        }
        System.out.printf("text prototypes from the text encoder: max abs diff %.3g%n", worst);
        assertThat(worst).isLessThanOrEqualTo(PROTOTYPE_TOLERANCE);
    }

    @Test
    void prototypesOfUnlistedCategoriesAreComputedOnceAndCached() throws ModelException {
        String category =
                golden.categoryPrototypes().keySet().stream()
                        .filter(c -> !bundle.precomputedPrototypes().containsKey(c))
                        .findFirst()
                        .orElseThrow();

        TextPrototypes first = engine.prototypes(category);

        assertThat(engine.prototypes(category)).isSameAs(first);
        assertThat(maxAbsDiff(first.normal(), golden.categoryPrototypes().get(category).normal()))
                .isLessThanOrEqualTo(PROTOTYPE_TOLERANCE);
    }

    @Test
    void fp16BanksMoveScoresOnlySlightly() throws ModelException {
        ShotBank fp16 = ShotBankCodec.decode(ShotBankCodec.encode(cropBank, BankPrecision.FP16));
        List<ImageFeatures> queries = features(golden.queries());
        List<ScoreResult> exact = engine.score(cropBank, queries);
        List<ScoreResult> reduced = engine.score(fp16, queries);

        double worst = 0;
        double worstFinal = 0;
        for (int i = 0; i < exact.size(); i++) {
            worst = Math.max(worst, componentDiff(reduced.get(i), exact.get(i)));
            worstFinal =
                    Math.max(
                            worstFinal,
                            Math.abs(reduced.get(i).finalScore() - exact.get(i).finalScore()));
        }
        System.out.printf(
                "fp16 shot bank vs fp32: max abs diff %.3g on any component, %.3g on the final"
                        + " score; bank %d -> %d bytes%n",
                worst,
                worstFinal,
                ShotBankCodec.encode(cropBank, BankPrecision.FP32).length,
                ShotBankCodec.encode(cropBank, BankPrecision.FP16).length);
        assertThat(worst).isLessThanOrEqualTo(FP16_BANK_TOLERANCE);
    }

    @Test
    void decodedFp32BankScoresBitIdentically() throws ModelException {
        ShotBank decoded = ShotBankCodec.decode(ShotBankCodec.encode(cropBank, BankPrecision.FP32));
        List<ImageFeatures> queries = features(golden.queries());

        assertThat(engine.score(decoded, queries)).isEqualTo(engine.score(cropBank, queries));
    }

    /** Features of frames other than the golden queries, for mixing into batches. */
    private static List<ImageFeatures> otherFrames() throws ModelException {
        List<ImageFeatures> others = new ArrayList<>();
        for (String shot : golden.shots()) {
            others.add(cropFeatures.get(shot));
        }
        SplittableRandom random = new SplittableRandom(7);
        int length =
                3
                        * bundle.manifest().preprocess().imageSize()
                        * bundle.manifest().preprocess().imageSize();
        List<float[]> noise = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            float[] pixels = new float[length];
            for (int p = 0; p < length; p++) {
                pixels[p] = (float) (random.nextDouble() * 4 - 2);
            }
            noise.add(pixels);
        }
        others.addAll(engine.encode(noise));
        return others;
    }

    private static List<String> allImages() {
        List<String> images = new ArrayList<>(golden.shots());
        images.addAll(golden.queries());
        return images;
    }

    private static List<ImageFeatures> features(List<String> images) {
        List<ImageFeatures> features = new ArrayList<>();
        for (String image : images) {
            features.add(cropFeatures.get(image));
        }
        return features;
    }

    private static double componentDiff(ScoreResult actual, Golden.Components expected) {
        double diff = Math.abs(actual.finalScore() - expected.finalScore());
        diff = Math.max(diff, Math.abs(actual.holisticScore() - expected.holistic()));
        diff = Math.max(diff, Math.abs(actual.patchScore() - expected.patch()));
        diff = Math.max(diff, Math.abs(actual.imageScore() - expected.image()));
        diff = Math.max(diff, Math.abs(actual.textScore() - expected.text()));
        return Math.max(diff, maxAbsDiff(actual.patchMap(), expected.patchMap()));
    }

    private static double componentDiff(ScoreResult actual, ScoreResult expected) {
        return componentDiff(
                actual,
                new Golden.Components(
                        expected.finalScore(),
                        expected.holisticScore(),
                        expected.patchScore(),
                        expected.imageScore(),
                        expected.textScore(),
                        expected.patchMap()));
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        }
        return worst;
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
