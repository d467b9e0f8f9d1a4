package io.inctrlstream.launcher.eval;

import java.util.Map;
import java.util.Objects;

/**
 * Every method's scores of one run's test images (the first run of a category and K), with their
 * labels: what the ROC and precision-recall curves are drawn from.
 */
public record RunScores(
        String category, int shots, boolean[] anomalous, Map<EvalMethod, double[]> scores) {
    public RunScores {
        Objects.requireNonNull(category, "category");
        anomalous = anomalous.clone();
        scores = Map.copyOf(scores);
    }

    @Override
    public boolean[] anomalous() {
        return anomalous.clone();
    }
}
