package io.inctrlstream.launcher.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ThresholdSuggestionTest {

    @Test
    void aboveGoodScoresByTheirSpread() {
        assertThat(ThresholdSuggestion.aboveGoodScores(new double[] {0.32, 0.30, 0.34}))
                .isCloseTo(0.38, within(1e-12));
        // At least a margin of 0.01, at most 0.99.
        assertThat(ThresholdSuggestion.aboveGoodScores(new double[] {0.300, 0.301}))
                .isCloseTo(0.311, within(1e-12));
        assertThat(ThresholdSuggestion.aboveGoodScores(new double[] {0.5, 0.98})).isEqualTo(0.99);
    }

    @Test
    void forAFalseAlarmRateFlagsAtMostThatShareOfTheGoodImages() {
        double[] good = {0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.4, 0.6, 0.8, 0.35};
        // No false alarm allowed: just above the highest.
        assertThat(ThresholdSuggestion.forFalseAlarmRate(good, 0)).isEqualTo(Math.nextUp(0.9));
        // 1 of 10 allowed (0.9 flagged): just above the second highest.
        assertThat(ThresholdSuggestion.forFalseAlarmRate(good, 0.1)).isEqualTo(Math.nextUp(0.8));
        assertThat(ThresholdSuggestion.forFalseAlarmRate(good, 0.25)).isEqualTo(Math.nextUp(0.7));
        double threshold = ThresholdSuggestion.forFalseAlarmRate(good, 0.25);
        assertThat(ThresholdSuggestion.rates(threshold, good, new boolean[10]).falseAlarmRate())
                .isEqualTo(0.2);
        assertThatThrownBy(() -> ThresholdSuggestion.forFalseAlarmRate(good, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the target false-alarm rate must be in [0, 1), found 1.0");
    }

    @Test
    void bestF1PrefersTheHigherOfEqualThresholds() {
        double[] scores = {0.1, 0.2, 0.6, 0.4, 0.7, 0.9};
        boolean[] anomalous = {false, false, false, true, true, true};
        // >= 0.7: P 1, R 2/3, F1 0.8; >= 0.6: P 2/3, R 2/3; >= 0.4: P 3/4, R 1, F1 6/7.
        ThresholdSuggestion.BestF1 best = ThresholdSuggestion.bestF1(scores, anomalous);
        assertThat(best.threshold()).isEqualTo(0.4);
        assertThat(best.f1()).isCloseTo(6.0 / 7, within(1e-12));
        assertThat(best.precision()).isEqualTo(0.75);
        assertThat(best.recall()).isEqualTo(1.0);

        // >= 0.9: P 1, R 1/2; >= 0.8: P 1/2, R 1/2; >= 0.7: P 1/3, R 1/2; >= 0.6: P 1/2, R 1.
        // Two thresholds with F1 2/3: the higher one.
        ThresholdSuggestion.BestF1 tie =
                ThresholdSuggestion.bestF1(
                        new double[] {0.9, 0.8, 0.7, 0.6},
                        new boolean[] {true, false, false, true});
        assertThat(tie.threshold()).isEqualTo(0.9);
        assertThat(tie.f1()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void ratesAtAThreshold() {
        ThresholdSuggestion.Rates rates =
                ThresholdSuggestion.rates(
                        0.5,
                        new double[] {0.1, 0.5, 0.7, 0.4, 0.2},
                        new boolean[] {false, false, true, true, true});
        assertThat(rates.falseAlarmRate()).isEqualTo(0.5);
        assertThat(rates.missRate()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(
                        ThresholdSuggestion.rates(0.5, new double[] {0.1}, new boolean[] {false})
                                .missRate())
                .isNaN();
    }

    @Test
    void suggestPicksTheRuleFromWhatItIsGiven() {
        double[] good = {0.2, 0.3};
        double[] bad = {0.6, 0.5};
        assertThat(ThresholdSuggestion.suggest(good, new double[0], OptionalDouble.empty()))
                .isEqualTo(
                        new ThresholdSuggestion.Suggestion(
                                ThresholdSuggestion.aboveGoodScores(good),
                                "just above the 2 good scores (highest 0.3000), by their spread"));
        assertThat(ThresholdSuggestion.suggest(good, bad, OptionalDouble.empty()))
                .isEqualTo(
                        new ThresholdSuggestion.Suggestion(
                                0.5,
                                "best F1 1.000 (precision 1.000, recall 1.000) on 2 good and 2"
                                        + " anomalous images"));
        assertThat(ThresholdSuggestion.suggest(good, bad, OptionalDouble.of(0)))
                .isEqualTo(
                        new ThresholdSuggestion.Suggestion(
                                Math.nextUp(0.3),
                                "target false-alarm rate 0.000 on 2 good images"));
        assertThatThrownBy(
                        () ->
                                ThresholdSuggestion.suggest(
                                        new double[0], new double[0], OptionalDouble.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a threshold needs good scores, found none");
    }
}
