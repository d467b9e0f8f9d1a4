package io.inctrlstream.launcher.eval;

import io.inctrlstream.launcher.dataset.DatasetLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Evaluation} measured: per method, category and K the AUROC and AUPRC over the runs
 * (with the {@link MethodResult#AVERAGE} rows), the suggested thresholds and their rates, the first
 * run's scores for the curves, and how long the encoding and the whole evaluation took.
 *
 * @param encodedImages the images encoded (each once, whatever the number of runs)
 * @param encodeSeconds the time spent decoding, preprocessing and encoding them
 * @param totalSeconds the time of the whole evaluation
 */
public record EvaluationReport(
        String modelId,
        String device,
        Path dataset,
        DatasetLayout layout,
        EvaluationSettings settings,
        List<String> categories,
        List<MethodResult> results,
        List<ThresholdResult> thresholds,
        List<RunScores> firstRuns,
        int encodedImages,
        double encodeSeconds,
        double totalSeconds) {
    public EvaluationReport {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(settings, "settings");
        categories = List.copyOf(categories);
        results = List.copyOf(results);
        thresholds = List.copyOf(thresholds);
        firstRuns = List.copyOf(firstRuns);
    }

    /** The result of a method for a category and K. */
    public MethodResult result(EvalMethod method, String category, int shots) {
        return results.stream()
                .filter(r -> r.method() == method && r.category().equals(category))
                .filter(r -> r.shots() == shots)
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "no result for "
                                                + method.id()
                                                + ", "
                                                + category
                                                + ", K = "
                                                + shots));
    }
}
