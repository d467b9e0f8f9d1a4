package io.inctrlstream.benchmarks;

import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.ImageFeatures;
import io.inctrlstream.model.InctrlEngine;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ScoreResult;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.image.ImagePreprocessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Score drift of a reduced-precision bundle against its fp32 original: both score the same
 * synthetic queries against banks built from the same K = 4 shots (each bundle encodes the shots
 * itself, as a deployment would), and the report gives the max and mean absolute difference of
 * every component, beside the spread (standard deviation over the queries) of the fp32 values, to
 * judge the drift against, and the relative error of the features behind them: patch tokens,
 * embedding, and the image-level residual a_s - a_q that s_i is computed from (a difference of two
 * similar vectors, so it magnifies the embedding's error). It also checks that the reduced bundle
 * scores a frame the same alone and inside a batch.
 *
 * <p>Usage: {@code QuantizationDrift FP32_BUNDLE OTHER_BUNDLE [QUERIES] [THREADS]}; prints one JSON
 * line.
 */
public final class QuantizationDrift {
    private static final String[] COMPONENTS = {"final", "hl", "s_p", "s_i", "s_a", "patch_map"};

    private QuantizationDrift() {}

    public static void main(String[] args) throws ModelException {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: QuantizationDrift FP32_BUNDLE OTHER_BUNDLE [QUERIES] [THREADS]");
        }
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Run reference = run(Path.of(args[0]), queries, threads);
        Run other = run(Path.of(args[1]), queries, threads);
        StringBuilder json = new StringBuilder();
        json.append(
                String.format(
                        Locale.ROOT,
                        "{\"bench\": \"drift\", \"reference\": \"%s\", \"model\": \"%s\","
                                + " \"queries\": %d, \"shots\": %d",
                        reference.modelId,
                        other.modelId,
                        queries,
                        ScoringBenchmark.SHOTS));
        for (String component : COMPONENTS) {
            double max = 0;
            double sum = 0;
            double refSum = 0;
            double refSquares = 0;
            long count = 0;
            for (int q = 0; q < queries; q++) {
                float[] a = values(reference.results.get(q), component);
                float[] b = values(other.results.get(q), component);
                for (int i = 0; i < a.length; i++) {
                    double d = Math.abs((double) a[i] - b[i]);
                    max = Math.max(max, d);
                    sum += d;
                    refSum += a[i];
                    refSquares += (double) a[i] * a[i];
                    count++;
                }
            }
            double refMean = refSum / count;
            double refStd = Math.sqrt(Math.max(0, refSquares / count - refMean * refMean));
            json.append(
                    String.format(
                            Locale.ROOT,
                            ", \"%s\": {\"max_abs\": %.3g, \"mean_abs\": %.3g,"
                                    + " \"fp32_std\": %.3g}",
                            component,
                            max,
                            sum / count,
                            refStd));
        }
        double patchTokens = 0;
        double embedding = 0;
        double residual = 0;
        for (int q = 0; q < queries; q++) {
            ImageFeatures a = reference.features.get(q);
            ImageFeatures b = other.features.get(q);
            patchTokens += relativeError(a.patchTokens(), b.patchTokens());
            embedding += relativeError(a.embedding(), b.embedding());
            residual +=
                    relativeError(
                            difference(reference.shotAdaptedMean, a.adapted()),
                            difference(other.shotAdaptedMean, b.adapted()));
        }
        json.append(
                String.format(
                        Locale.ROOT,
                        ", \"patch_tokens_rel_err\": %.3g, \"embedding_rel_err\": %.3g,"
                                + " \"image_residual_rel_err\": %.3g",
                        patchTokens / queries,
                        embedding / queries,
                        residual / queries));
        json.append(
                String.format(
                        Locale.ROOT,
                        ", \"batch_invariance_max_abs\": %.3g}",
                        other.batchInvarianceMaxAbs));
        System.out.println(json);
    }

    private record Run(
            String modelId,
            List<ScoreResult> results,
            List<ImageFeatures> features,
            float[] shotAdaptedMean,
            double batchInvarianceMaxAbs) {}

    private static Run run(Path dir, int queries, int threads) throws ModelException {
        ModelBundle bundle = ModelBundle.load(dir);
        try (InctrlEngine engine =
                InctrlEngine.open(
                        bundle,
                        EngineConfig.builder()
                                .intraOpThreads(threads)
                                .maxBatchSize(Math.max(queries, ScoringBenchmark.SHOTS))
                                .build())) {
            ImagePreprocessor preprocessor = BenchInputs.preprocessor(engine.manifest());
            List<ImageFeatures> shots =
                    engine.encode(
                            BenchInputs.preprocessedBatch(
                                    preprocessor, ScoringBenchmark.SHOTS, 320, 240, 1),
                            ScoringBenchmark.SHOTS);
            ShotBank bank = engine.buildShotBank(shots, ScoringBenchmark.category(bundle));
            float[] pixels = BenchInputs.preprocessedBatch(preprocessor, queries, 320, 240, 100);
            List<ImageFeatures> features = engine.encode(pixels, queries);
            List<ScoreResult> batched = engine.score(bank, features);
            List<ScoreResult> alone = new ArrayList<>();
            int length = preprocessor.tensorLength();
            for (int q = 0; q < Math.min(queries, 4); q++) {
                float[] one = new float[length];
                System.arraycopy(pixels, q * length, one, 0, length);
                alone.addAll(engine.score(bank, engine.encode(one, 1)));
            }
            double invariance = 0;
            for (int q = 0; q < alone.size(); q++) {
                for (String component : COMPONENTS) {
                    float[] a = values(alone.get(q), component);
                    float[] b = values(batched.get(q), component);
                    for (int i = 0; i < a.length; i++) {
                        invariance = Math.max(invariance, Math.abs((double) a[i] - b[i]));
                    }
                }
            }
            return new Run(engine.modelId(), batched, features, bank.shotAdaptedMean(), invariance);
        }
    }

    /** |b - a| / |a| (Euclidean norms). */
    private static double relativeError(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += ((double) b[i] - a[i]) * ((double) b[i] - a[i]);
            norm += (double) a[i] * a[i];
        }
        return Math.sqrt(diff / norm);
    }

    private static float[] difference(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static float[] values(ScoreResult result, String component) {
        Map<String, float[]> byName = new LinkedHashMap<>();
        byName.put("final", new float[] {result.finalScore()});
        byName.put("hl", new float[] {result.holisticScore()});
        byName.put("s_p", new float[] {result.patchScore()});
        byName.put("s_i", new float[] {result.imageScore()});
        byName.put("s_a", new float[] {result.textScore()});
        byName.put("patch_map", result.patchMap());
        return byName.get(component);
    }
}
