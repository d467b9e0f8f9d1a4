package io.inctrlstream.launcher.internal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {
    private static final double[] TEN = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};

    @Test
    void nearestRankOfTenValues() {
        assertThat(Percentiles.of(TEN, 50)).isEqualTo(5);
        assertThat(Percentiles.of(TEN, 90)).isEqualTo(9);
        assertThat(Percentiles.of(TEN, 99)).isEqualTo(10);
        assertThat(Percentiles.of(TEN, 100)).isEqualTo(10);
        assertThat(Percentiles.of(TEN, 10)).isEqualTo(1);
        assertThat(Percentiles.of(TEN, 0.1)).isEqualTo(1);
    }

    @Test
    void p99OfAHundredValuesIsTheNinetyNinthAndOfTwoHundredTheHundredNinetyEighth() {
        double[] hundred = new double[100];
        double[] twoHundred = new double[200];
        for (int i = 0; i < 200; i++) {
            if (i < 100) {
                hundred[i] = 100 - i; // 100 .. 1, unsorted
            }
            twoHundred[i] = i + 1;
        }
        assertThat(Percentiles.of(hundred, 99)).isEqualTo(99);
        assertThat(Percentiles.of(twoHundred, 99)).isEqualTo(198);
        assertThat(Percentiles.of(twoHundred, 50)).isEqualTo(100);
    }

    @Test
    void aSingleValueIsEveryPercentileAndTheInputIsNotSorted() {
        assertThat(Percentiles.of(new double[] {42}, 1)).isEqualTo(42);
        assertThat(Percentiles.of(new double[] {42}, 100)).isEqualTo(42);
        double[] values = TEN.clone();
        Percentiles.of(values, 50);
        assertThat(values).containsExactly(TEN);
    }

    @Test
    void noValuesOrAPercentileOutOfRangeIsAnError() {
        assertThatThrownBy(() -> Percentiles.of(new double[0], 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected at least one value, found none");
        assertThatThrownBy(() -> Percentiles.of(TEN, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a percentile in (0, 100], found 0.0");
        assertThatThrownBy(() -> Percentiles.of(TEN, 100.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a percentile in (0, 100], found 100.5");
        assertThatThrownBy(() -> Percentiles.of(TEN, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a percentile in (0, 100], found NaN");
    }
}
