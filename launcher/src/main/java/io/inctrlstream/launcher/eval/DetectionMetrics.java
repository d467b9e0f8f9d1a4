package io.inctrlstream.launcher.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Image-level detection metrics of anomaly scores (higher = more anomalous) against labels (true =
 * anomalous), with ties handled exactly:
 *
 * <ul>
 *   <li>AUROC from ranks (the Mann-Whitney statistic), tied scores sharing their average rank: a
 *       tie between a good and an anomalous image counts one half;
 *   <li>AUPRC as average precision, sum over thresholds of (recall step) x precision, with tied
 *       scores forming one threshold (as scikit-learn's {@code average_precision_score}), so that
 *       the order of tied images never matters.
 * </ul>
 *
 * <p>Both need good and anomalous images: a single class is refused with an
 * IllegalArgumentException naming the counts (neither metric is defined for it, and a NaN would
 * silently drop out of averages).
 */
public final class DetectionMetrics {
    private DetectionMetrics() {}

    /**
     * The area under the ROC curve.
     *
     * @throws IllegalArgumentException if the arrays differ in length, a score is NaN, or the
     *     labels hold a single class
     */
    public static double auroc(double[] scores, boolean[] anomalous) {
        int positives = requireBothClasses(scores, anomalous, "AUROC");
        int negatives = scores.length - positives;
        Integer[] order = ascending(scores);
        double positiveRankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = tieEnd(scores, order, i);
            // Ranks i+1 .. j (1-based) are tied: each gets their average.
            double averageRank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                if (anomalous[order[k]]) {
                    positiveRankSum += averageRank;
                }
            }
            i = j;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    /**
     * Average precision, tied scores grouped into one threshold.
     *
     * @throws IllegalArgumentException if the arrays differ in length, a score is NaN, or the
     *     labels hold a single class
     */
    public static double averagePrecision(double[] scores, boolean[] anomalous) {
        int positives = requireBothClasses(scores, anomalous, "AUPRC");
        double ap = 0;
        for (Step step : descendingSteps(scores, anomalous)) {
            if (step.newTruePositives > 0) {
                double precision =
                        step.truePositives / (double) (step.truePositives + step.falsePositives);
                ap += step.newTruePositives / (double) positives * precision;
            }
        }
        return ap;
    }

    /**
     * The ROC curve, from (0, 0) to (1, 1), one point per distinct score.
     *
     * @throws IllegalArgumentException as {@link #auroc}
     */
    public static List<CurvePoint> rocCurve(double[] scores, boolean[] anomalous) {
        int positives = requireBothClasses(scores, anomalous, "a ROC curve");
        int negatives = scores.length - positives;
        List<CurvePoint> curve = new ArrayList<>();
        curve.add(new CurvePoint(0, 0));
        for (Step step : descendingSteps(scores, anomalous)) {
            curve.add(
                    new CurvePoint(
                            step.falsePositives / (double) negatives,
                            step.truePositives / (double) positives));
        }
        return curve;
    }

    /**
     * The precision-recall curve, from recall 0 (precision 1) to recall 1, one point per distinct
     * score.
     *
     * @throws IllegalArgumentException as {@link #averagePrecision}
     */
    public static List<CurvePoint> precisionRecallCurve(double[] scores, boolean[] anomalous) {
        int positives = requireBothClasses(scores, anomalous, "a precision-recall curve");
        List<CurvePoint> curve = new ArrayList<>();
        curve.add(new CurvePoint(0, 1));
        for (Step step : descendingSteps(scores, anomalous)) {
            curve.add(
                    new CurvePoint(
                            step.truePositives / (double) positives,
                            step.truePositives
                                    / (double) (step.truePositives + step.falsePositives)));
        }
        return curve;
    }

    /** Counts after lowering the threshold to one distinct score (all images at it flagged). */
    private record Step(int truePositives, int falsePositives, int newTruePositives) {}

    private static List<Step> descendingSteps(double[] scores, boolean[] anomalous) {
        Integer[] order = ascending(scores);
        List<Step> steps = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        int end = order.length;
        while (end > 0) {
            int start = tieStart(scores, order, end);
            int newTp = 0;
            for (int k = start; k < end; k++) {
                if (anomalous[order[k]]) {
                    newTp++;
                } else {
                    fp++;
                }
            }
            tp += newTp;
            steps.add(new Step(tp, fp, newTp));
            end = start;
        }
        return steps;
    }

    private static Integer[] ascending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        return order;
    }

    /** The end (exclusive) of the run of scores equal to order[from]'s. */
    private static int tieEnd(double[] scores, Integer[] order, int from) {
        int j = from + 1;
        while (j < order.length && scores[order[j]] == scores[order[from]]) {
            j++;
        }
        return j;
    }

    /** The start of the run of scores equal to order[end - 1]'s. */
    private static int tieStart(double[] scores, Integer[] order, int end) {
        int i = end - 1;
        while (i > 0 && scores[order[i - 1]] == scores[order[end - 1]]) {
            i--;
        }
        return i;
    }

    /** Checks that there is one label per score. */
    static void requireLabels(double[] scores, boolean[] anomalous) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(anomalous, "anomalous");
        if (scores.length != anomalous.length) {
            throw new IllegalArgumentException(
                    "expected one label per score, found "
                            + scores.length
                            + " scores and "
                            + anomalous.length
                            + " labels");
        }
    }

    /** Checks the inputs; returns the number of anomalous images. */
    private static int requireBothClasses(double[] scores, boolean[] anomalous, String metric) {
        requireLabels(scores, anomalous);
        int positives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            if (anomalous[i]) {
                positives++;
            }
        }
        int negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException(
                    metric
                            + " needs both good and anomalous images, found "
                            + negatives
                            + " good and "
                            + positives
                            + " anomalous");
        }
        return positives;
    }
}
