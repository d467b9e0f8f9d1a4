package io.inctrlstream.launcher.eval;

import io.inctrlstream.launcher.dataset.AnomalyDataset;
import io.inctrlstream.launcher.dataset.DatasetCategory;
import io.inctrlstream.launcher.dataset.DatasetLayout;
import io.inctrlstream.launcher.dataset.TestImage;
import io.inctrlstream.launcher.eval.internal.FeatureEncoder;
import io.inctrlstream.launcher.eval.internal.PatchKnn;
import io.inctrlstream.launcher.internal.OfflineScorer;
import io.inctrlstream.model.ImageFeatures;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ScoreResult;
import io.inctrlstream.model.ShotBank;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The paper's evaluation protocol on a dataset: for each category and shot count K, R runs, each
 * drawing K normal shots from the category's good training images ({@link ShotSampler}), building
 * their shot bank and scoring every test image against it; per run the image-level AUROC and AUPRC
 * of InCTRL's final score, of each of its components alone and of the patch-kNN baseline; per run
 * with K >= 2 also the threshold suggested from the shots alone (leave-one-out) and the false-alarm
 * and miss rates it gives on the test images.
 *
 * <p>Every image is encoded once (the encoder does not depend on the shots); only the scorer runs
 * per run. A category's features are held in memory while it is evaluated.
 */
public final class Evaluation {
    private final OfflineScorer scorer;
    private final EvaluationSettings settings;
    private final Progress progress;

    /** Told of the work planned and done, in images encoded plus images scored. */
    public interface Progress {
        /** The total work, once, before the first step. */
        void planned(long total);

        /** Some work done. */
        void advanced(long done);
    }

    private Evaluation(OfflineScorer scorer, EvaluationSettings settings, Progress progress) {
        this.scorer = scorer;
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Checks that every category has enough good images for every K (and, when shots come from the
     * test images' own folder, leaves a good test image).
     *
     * @throws IllegalArgumentException naming the first category and K that do not fit
     */
    public static void check(AnomalyDataset dataset, EvaluationSettings settings) {
        int largest = settings.shots().get(settings.shots().size() - 1);
        boolean shared = dataset.layout() == DatasetLayout.GOOD_AND_DEFECT;
        for (DatasetCategory category : dataset.categories()) {
            int pool = category.shotPool().size();
            if (largest > pool || (shared && largest >= pool)) {
                throw new IllegalArgumentException(
                        "category "
                                + category.name()
                                + " has "
                                + pool
                                + " good images to draw shots from, too few for K = "
                                + largest
                                + (shared
                                        ? " (its good images are also its good test images: at"
                                                + " most K = "
                                                + (pool - 1)
                                                + ")"
                                        : ""));
            }
        }
    }

    /**
     * Runs the protocol.
     *
     * @throws IllegalArgumentException if the dataset does not fit the settings ({@link #check}) or
     *     an image cannot be decoded
     * @throws ModelException if the model fails
     */
    public static EvaluationReport run(
            OfflineScorer scorer,
            AnomalyDataset dataset,
            EvaluationSettings settings,
            Progress progress)
            throws IOException, ModelException {
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(progress, "progress");
        check(dataset, settings);
        return new Evaluation(scorer, settings, progress).evaluate(dataset);
    }

    private EvaluationReport evaluate(AnomalyDataset dataset) throws IOException, ModelException {
        long started = System.nanoTime();
        List<Plan> plans = new ArrayList<>();
        long total = 0;
        for (DatasetCategory category : dataset.categories()) {
            Plan plan = plan(category);
            plans.add(plan);
            total += plan.work();
        }
        progress.planned(total);
        List<MethodResult> results = new ArrayList<>();
        List<ThresholdResult> thresholds = new ArrayList<>();
        List<RunScores> firstRuns = new ArrayList<>();
        Map<EvalMethod, Map<Integer, List<List<Double>>>> aurocs = new EnumMap<>(EvalMethod.class);
        Map<EvalMethod, Map<Integer, List<List<Double>>>> auprcs = new EnumMap<>(EvalMethod.class);
        int encoded = 0;
        long encodeNanos = 0;
        try (FeatureEncoder encoder = new FeatureEncoder(scorer)) {
            for (Plan plan : plans) {
                long encodeStart = System.nanoTime();
                Map<Path, ImageFeatures> features =
                        encoder.encode(plan.toEncode(), progress::advanced);
                encodeNanos += System.nanoTime() - encodeStart;
                encoded += features.size();
                for (int k : settings.shots()) {
                    CategoryRuns runs = runs(plan, k, features);
                    firstRuns.add(runs.first);
                    for (EvalMethod method : settings.methods()) {
                        List<Double> auroc = runs.auroc.get(method);
                        List<Double> auprc = runs.auprc.get(method);
                        results.add(
                                new MethodResult(
                                        method,
                                        plan.category.name(),
                                        k,
                                        RunSummary.of(auroc),
                                        RunSummary.of(auprc)));
                        aurocs.computeIfAbsent(method, m -> new TreeMap<>())
                                .computeIfAbsent(k, x -> new ArrayList<>())
                                .add(auroc);
                        auprcs.computeIfAbsent(method, m -> new TreeMap<>())
                                .computeIfAbsent(k, x -> new ArrayList<>())
                                .add(auprc);
                    }
                    if (!runs.thresholds.isEmpty()) {
                        thresholds.add(
                                new ThresholdResult(
                                        plan.category.name(),
                                        k,
                                        RunSummary.of(runs.thresholds),
                                        RunSummary.of(runs.falseAlarmRates),
                                        RunSummary.of(runs.missRates)));
                    }
                }
            }
        }
        if (dataset.categories().size() > 1) {
            for (int k : settings.shots()) {
                for (EvalMethod method : settings.methods()) {
                    results.add(
                            new MethodResult(
                                    method,
                                    MethodResult.AVERAGE,
                                    k,
                                    RunSummary.of(averageOverCategories(aurocs, method, k)),
                                    RunSummary.of(averageOverCategories(auprcs, method, k))));
                }
            }
        }
        return new EvaluationReport(
                scorer.modelId(),
                scorer.device().name(),
                dataset.root(),
                dataset.layout(),
                settings,
                dataset.categories().stream().map(DatasetCategory::name).toList(),
                results,
                thresholds,
                firstRuns,
                encoded,
                encodeNanos / 1e9,
                (System.nanoTime() - started) / 1e9);
    }

    private static List<Double> averageOverCategories(
            Map<EvalMethod, Map<Integer, List<List<Double>>>> values, EvalMethod method, int k) {
        List<List<Double>> perCategory = values.get(method).get(k);
        int runs = perCategory.get(0).size();
        List<Double> averages = new ArrayList<>(runs);
        for (int r = 0; r < runs; r++) {
            double sum = 0;
            for (List<Double> category : perCategory) {
                sum += category.get(r);
            }
            averages.add(sum / perCategory.size());
        }
        return averages;
    }

    /** A category's shots per K and run, and the images to encode. */
    private record Plan(
            DatasetCategory category,
            Map<Integer, List<List<Path>>> shots,
            List<Path> toEncode,
            long work) {}

    private Plan plan(DatasetCategory category) {
        Map<Integer, List<List<Path>>> shots = new TreeMap<>();
        Set<Path> toEncode = new LinkedHashSet<>();
        long work = 0;
        for (int k : settings.shots()) {
            List<List<Path>> runs = new ArrayList<>();
            for (int r = 0; r < settings.runs(); r++) {
                List<Path> drawn =
                        ShotSampler.draw(
                                        settings.seed(),
                                        category.name(),
                                        k,
                                        r,
                                        category.shotPool().size())
                                .stream()
                                .map(category.shotPool()::get)
                                .toList();
                runs.add(drawn);
                toEncode.addAll(drawn);
                Set<Path> shotFiles = new HashSet<>(drawn);
                long scored =
                        category.test().stream()
                                .filter(image -> !shotFiles.contains(image.file()))
                                .count();
                work += scored + (k >= 2 ? k : 0);
            }
            shots.put(k, runs);
        }
        category.test().forEach(image -> toEncode.add(image.file()));
        work += toEncode.size();
        return new Plan(category, shots, List.copyOf(toEncode), work);
    }

    /** Per method the runs' metrics of one category and K, and the runs' thresholds. */
    private static final class CategoryRuns {
        final Map<EvalMethod, List<Double>> auroc = new EnumMap<>(EvalMethod.class);
        final Map<EvalMethod, List<Double>> auprc = new EnumMap<>(EvalMethod.class);
        final List<Double> thresholds = new ArrayList<>();
        final List<Double> falseAlarmRates = new ArrayList<>();
        final List<Double> missRates = new ArrayList<>();
        RunScores first;
    }

    private CategoryRuns runs(Plan plan, int k, Map<Path, ImageFeatures> features)
            throws ModelException {
        CategoryRuns runs = new CategoryRuns();
        String textCategory = plan.category.textCategory();
        for (List<Path> shotFiles : plan.shots.get(k)) {
            List<ImageFeatures> shots = shotFiles.stream().map(features::get).toList();
            Set<Path> drawn = new HashSet<>(shotFiles);
            List<TestImage> test =
                    plan.category.test().stream()
                            .filter(image -> !drawn.contains(image.file()))
                            .toList();
            List<ImageFeatures> queries = test.stream().map(i -> features.get(i.file())).toList();
            boolean[] anomalous = new boolean[test.size()];
            for (int i = 0; i < anomalous.length; i++) {
                anomalous[i] = test.get(i).anomalous();
            }
            ShotBank bank = scorer.bankOfFeatures(shots, textCategory);
            List<ScoreResult> results = scorer.scoreFeatures(bank, queries);
            Map<EvalMethod, double[]> scores = new EnumMap<>(EvalMethod.class);
            for (EvalMethod method : settings.methods()) {
                if (method.fromModel()) {
                    scores.put(method, results.stream().mapToDouble(method::of).toArray());
                }
            }
            if (settings.patchKnn()) {
                PatchKnn knn = new PatchKnn(shots);
                scores.put(
                        EvalMethod.PATCH_KNN,
                        IntStream.range(0, queries.size())
                                .parallel()
                                .mapToDouble(i -> knn.score(queries.get(i)))
                                .toArray());
            }
            for (EvalMethod method : settings.methods()) {
                double[] values = scores.get(method);
                runs.auroc
                        .computeIfAbsent(method, m -> new ArrayList<>())
                        .add(DetectionMetrics.auroc(values, anomalous));
                runs.auprc
                        .computeIfAbsent(method, m -> new ArrayList<>())
                        .add(DetectionMetrics.averagePrecision(values, anomalous));
            }
            progress.advanced(queries.size());
            if (k >= 2) {
                double threshold = suggestFromShots(shots, textCategory);
                ThresholdSuggestion.Rates rates =
                        ThresholdSuggestion.rates(
                                threshold, scores.get(EvalMethod.INCTRL), anomalous);
                runs.thresholds.add(threshold);
                runs.falseAlarmRates.add(rates.falseAlarmRate());
                runs.missRates.add(rates.missRate());
                progress.advanced(k);
            }
            if (runs.first == null) {
                runs.first = new RunScores(plan.category.name(), k, anomalous, scores);
            }
        }
        return runs;
    }

    private double suggestFromShots(List<ImageFeatures> shots, String textCategory)
            throws ModelException {
        double[] good = leaveOneOutScores(scorer, shots, textCategory);
        return ThresholdSuggestion.suggest(good, new double[0], settings.falseAlarmTarget())
                .threshold();
    }

    /**
     * Each shot's final score against the bank of the other shots.
     *
     * @throws IllegalArgumentException if there are fewer than two shots
     */
    public static double[] leaveOneOutScores(
            OfflineScorer scorer, List<ImageFeatures> shots, String category)
            throws ModelException {
        if (shots.size() < 2) {
            throw new IllegalArgumentException(
                    "leave-one-out needs at least 2 shots (each scored against the others), found "
                            + shots.size());
        }
        double[] scores = new double[shots.size()];
        for (int k = 0; k < shots.size(); k++) {
            List<ImageFeatures> others = new ArrayList<>(shots);
            ImageFeatures left = others.remove(k);
            ShotBank bank = scorer.bankOfFeatures(others, category);
            scores[k] = scorer.scoreFeatures(bank, List.of(left)).get(0).finalScore();
        }
        return scores;
    }
}
