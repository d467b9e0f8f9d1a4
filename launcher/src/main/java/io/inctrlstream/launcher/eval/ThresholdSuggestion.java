package io.inctrlstream.launcher.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Suggests a line's anomaly threshold (a frame is anomalous when its final score is at least the
 * threshold) from scores of validation images, in one of three ways:
 *
 * <ul>
 *   <li>{@link #aboveGoodScores}: good images only, no target: just above the highest good score,
 *       with a margin as wide as the good scores' spread (at least 0.01), at most 0.99 (what an
 *       operator does on commissioning a station; the demo's calibration);
 *   <li>{@link #forFalseAlarmRate}: good images only, for a target false-alarm rate;
 *   <li>{@link #bestF1}: good and anomalous images, the threshold of the best F1.
 * </ul>
 *
 * The good scores may come from the shots alone, each scored against the bank of the others
 * (leave-one-out), when no other good images are at hand.
 */
public final class ThresholdSuggestion {
    /** The smallest margin above the highest good score. */
    public static final double MIN_MARGIN = 0.01;

    /** The highest threshold {@link #aboveGoodScores} suggests. */
    public static final double MAX_THRESHOLD = 0.99;

    private ThresholdSuggestion() {}

    /** A suggested threshold and how it was chosen, in words. */
    public record Suggestion(double threshold, String rule) {}

    /**
     * The threshold for these validation scores: with a target false-alarm rate {@link
     * #forFalseAlarmRate} on the good scores; otherwise {@link #bestF1} when there are anomalous
     * scores, {@link #aboveGoodScores} when there are none.
     *
     * @throws IllegalArgumentException if there are no good scores, a score is NaN, or the target
     *     is not in [0, 1)
     */
    public static Suggestion suggest(double[] good, double[] anomalous, OptionalDouble far) {
        Objects.requireNonNull(anomalous, "anomalous");
        if (far.isPresent()) {
            double threshold = forFalseAlarmRate(good, far.getAsDouble());
            return new Suggestion(
                    threshold,
                    String.format(
                            Locale.ROOT,
                            "target false-alarm rate %.3f on %d good images",
                            far.getAsDouble(),
                            good.length));
        }
        if (anomalous.length == 0) {
            return new Suggestion(
                    aboveGoodScores(good),
                    String.format(
                            Locale.ROOT,
                            "just above the %d good scores (highest %.4f), by their spread",
                            good.length,
                            Arrays.stream(good).max().orElseThrow()));
        }
        double[] scores = new double[good.length + anomalous.length];
        boolean[] labels = new boolean[scores.length];
        System.arraycopy(good, 0, scores, 0, good.length);
        System.arraycopy(anomalous, 0, scores, good.length, anomalous.length);
        Arrays.fill(labels, good.length, labels.length, true);
        if (good.length == 0) {
            throw new IllegalArgumentException(
                    "a threshold needs good scores, found none (only "
                            + anomalous.length
                            + " anomalous)");
        }
        BestF1 best = bestF1(scores, labels);
        return new Suggestion(
                best.threshold(),
                String.format(
                        Locale.ROOT,
                        "best F1 %.3f (precision %.3f, recall %.3f) on %d good and %d anomalous"
                                + " images",
                        best.f1(),
                        best.precision(),
                        best.recall(),
                        good.length,
                        anomalous.length));
    }

    /** A suggested threshold with the F1, precision and recall it gives on its images. */
    public record BestF1(double threshold, double f1, double precision, double recall) {}

    /** The share of good images flagged and of anomalous images not flagged at a threshold. */
    public record Rates(double falseAlarmRate, double missRate) {}

    /**
     * max + max(0.01, max - min) of the good scores, at most 0.99.
     *
     * @throws IllegalArgumentException if there are no scores or one is NaN
     */
    public static double aboveGoodScores(double[] good) {
        double[] sorted = sortedScores(good, "good");
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        return Math.min(MAX_THRESHOLD, max + Math.max(MIN_MARGIN, max - min));
    }

    /**
     * The lowest threshold that flags at most {@code floor(far * n)} of the n good images: just
     * above the good score that many places below the top.
     *
     * @throws IllegalArgumentException if far is not in [0, 1), there are no scores or one is NaN
     */
    public static double forFalseAlarmRate(double[] good, double far) {
        if (!(far >= 0 && far < 1)) {
            throw new IllegalArgumentException(
                    "the target false-alarm rate must be in [0, 1), found " + far);
        }
        double[] sorted = sortedScores(good, "good");
        int allowed = (int) Math.floor(far * sorted.length + 1e-9);
        return Math.nextUp(sorted[sorted.length - 1 - allowed]);
    }

    /**
     * The threshold (one of the scores) with the best F1 of "anomalous when score >= threshold"; of
     * equal F1s the highest threshold (the fewest false alarms).
     *
     * @throws IllegalArgumentException if the arrays differ in length, a score is NaN, or there is
     *     no anomalous image
     */
    public static BestF1 bestF1(double[] scores, boolean[] anomalous) {
        DetectionMetrics.requireLabels(scores, anomalous);
        int positives = 0;
        for (boolean label : anomalous) {
            positives += label ? 1 : 0;
        }
        if (positives == 0) {
            throw new IllegalArgumentException(
                    "the best F1 needs anomalous images, found only " + scores.length + " good");
        }
        double[] candidates = sortedScores(scores, "validation");
        BestF1 best = null;
        for (int i = candidates.length - 1; i >= 0; i--) {
            if (i < candidates.length - 1 && candidates[i] == candidates[i + 1]) {
                continue;
            }
            double threshold = candidates[i];
            int tp = 0;
            int flagged = 0;
            for (int k = 0; k < scores.length; k++) {
                if (scores[k] >= threshold) {
                    flagged++;
                    tp += anomalous[k] ? 1 : 0;
                }
            }
            double precision = tp / (double) flagged;
            double recall = tp / (double) positives;
            double f1 = tp == 0 ? 0 : 2 * precision * recall / (precision + recall);
            if (best == null || f1 > best.f1()) {
                best = new BestF1(threshold, f1, precision, recall);
            }
        }
        return best;
    }

    /**
     * The false-alarm and miss rates at a threshold (NaN for a class with no images).
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static Rates rates(double threshold, double[] scores, boolean[] anomalous) {
        DetectionMetrics.requireLabels(scores, anomalous);
        int good = 0;
        int falseAlarms = 0;
        int bad = 0;
        int misses = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (anomalous[i]) {
                bad++;
                misses += flagged ? 0 : 1;
            } else {
                good++;
                falseAlarms += flagged ? 1 : 0;
            }
        }
        return new Rates(
                good == 0 ? Double.NaN : falseAlarms / (double) good,
                bad == 0 ? Double.NaN : misses / (double) bad);
    }

    private static double[] sortedScores(double[] scores, String what) {
        Objects.requireNonNull(scores, "scores");
        if (scores.length == 0) {
            throw new IllegalArgumentException("a threshold needs " + what + " scores, found none");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException(what + " score " + i + " is NaN");
            }
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return sorted;
    }
}
