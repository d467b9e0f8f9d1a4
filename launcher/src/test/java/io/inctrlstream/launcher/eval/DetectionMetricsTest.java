package io.inctrlstream.launcher.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics against cases computed by hand. */
class DetectionMetricsTest {
    private static final boolean G = false;
    private static final boolean A = true;

    @Test
    void distinctScores() {
        double[] scores = {0.1, 0.4, 0.35, 0.8};
        boolean[] labels = {G, G, A, A};
        // Pairs (anomalous, good) ranked right: (0.35 > 0.1), (0.8 > 0.1), (0.8 > 0.4); wrong:
        // (0.35 < 0.4): 3 of 4.
        assertThat(DetectionMetrics.auroc(scores, labels)).isCloseTo(0.75, within(1e-12));
        // Ranked: 0.8 A (P 1/1), 0.4 G, 0.35 A (P 2/3), 0.1 G: (1 + 2/3) / 2.
        assertThat(DetectionMetrics.averagePrecision(scores, labels))
                .isCloseTo(5.0 / 6, within(1e-12));
    }

    @Test
    void perfectAndInvertedRankings() {
        double[] scores = {0.1, 0.2, 0.3, 0.4};
        assertThat(DetectionMetrics.auroc(scores, new boolean[] {G, G, A, A})).isEqualTo(1.0);
        assertThat(DetectionMetrics.averagePrecision(scores, new boolean[] {G, G, A, A}))
                .isEqualTo(1.0);
        assertThat(DetectionMetrics.auroc(scores, new boolean[] {A, A, G, G})).isEqualTo(0.0);
        // Ranked: G, G, A (P 1/3), A (P 2/4): (1/3 + 1/2) / 2.
        assertThat(DetectionMetrics.averagePrecision(scores, new boolean[] {A, A, G, G}))
                .isCloseTo(5.0 / 12, within(1e-12));
    }

    @Test
    void tieBetweenGoodAndAnomalousCountsOneHalf() {
        double[] scores = {0.2, 0.5, 0.5, 0.9};
        boolean[] labels = {G, G, A, A};
        // (0.5A, 0.2G) 1, (0.5A, 0.5G) 1/2, (0.9A, both) 2: 3.5 / 4.
        assertThat(DetectionMetrics.auroc(scores, labels)).isCloseTo(0.875, within(1e-12));
        // 0.9 A: P 1/1 at recall 1/2; the tie at 0.5 is one threshold: P 2/3 at recall 1.
        assertThat(DetectionMetrics.averagePrecision(scores, labels))
                .isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
    }

    @Test
    void orderOfTiedImagesDoesNotMatter() {
        double[] scores = {0.5, 0.2, 0.5, 0.9};
        boolean[] labels = {A, G, G, A};
        assertThat(DetectionMetrics.auroc(scores, labels)).isCloseTo(0.875, within(1e-12));
        assertThat(DetectionMetrics.averagePrecision(scores, labels))
                .isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
    }

    @Test
    void allScoresTiedIsChance() {
        double[] scores = {0.5, 0.5, 0.5, 0.5, 0.5};
        boolean[] labels = {G, A, G, G, A};
        assertThat(DetectionMetrics.auroc(scores, labels)).isCloseTo(0.5, within(1e-12));
        // One threshold: everything flagged, precision = the anomalous share.
        assertThat(DetectionMetrics.averagePrecision(scores, labels)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void curvesStepOncePerDistinctScore() {
        double[] scores = {0.2, 0.5, 0.5, 0.9};
        boolean[] labels = {G, G, A, A};
        assertThat(DetectionMetrics.rocCurve(scores, labels))
                .containsExactly(
                        new CurvePoint(0, 0),
                        new CurvePoint(0, 0.5),
                        new CurvePoint(0.5, 1),
                        new CurvePoint(1, 1));
        assertThat(DetectionMetrics.precisionRecallCurve(scores, labels))
                .containsExactly(
                        new CurvePoint(0, 1),
                        new CurvePoint(0.5, 1),
                        new CurvePoint(1, 2 / 3.0),
                        new CurvePoint(1, 0.5));
    }

    @Test
    void singleClassIsRefusedWithTheCounts() {
        double[] scores = {0.1, 0.2, 0.3};
        assertThatThrownBy(() -> DetectionMetrics.auroc(scores, new boolean[] {G, G, G}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "AUROC needs both good and anomalous images, found 3 good and 0 anomalous");
        assertThatThrownBy(() -> DetectionMetrics.averagePrecision(scores, new boolean[] {A, A, A}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "AUPRC needs both good and anomalous images, found 0 good and 3 anomalous");
    }

    @Test
    void badInputsAreRefused() {
        assertThatThrownBy(() -> DetectionMetrics.auroc(new double[] {0.1}, new boolean[] {G, A}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected one label per score, found 1 scores and 2 labels");
        assertThatThrownBy(
                        () ->
                                DetectionMetrics.auroc(
                                        new double[] {0.1, Double.NaN}, new boolean[] {G, A}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("score 1 is NaN");
    }

    @Test
    void summaryUsesTheSampleStandardDeviation() {
        RunSummary summary = RunSummary.of(List.of(0.6, 0.8, 1.0));
        assertThat(summary.mean()).isCloseTo(0.8, within(1e-12));
        assertThat(summary.std()).isCloseTo(0.2, within(1e-12));
        assertThat(RunSummary.of(List.of(0.7)).std()).isZero();
        assertThatThrownBy(() -> RunSummary.of(List.of()))
                .hasMessage("expected at least one run, found none");
    }
}
