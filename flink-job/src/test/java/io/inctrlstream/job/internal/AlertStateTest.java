package io.inctrlstream.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.inference.AlertPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The k-of-n-with-cooldown rule over a line's recent scored frames. */
class AlertStateTest {
    /** Which of the frames (anomalous flag, capture time) alert, by index. */
    private static List<Integer> alerts(AlertPolicy policy, boolean[] anomalous, long[] capture) {
        AlertState state = AlertState.initial();
        List<Integer> fired = new ArrayList<>();
        for (int i = 0; i < anomalous.length; i++) {
            AlertState.Step step = state.next(anomalous[i], capture[i], policy);
            state = step.state();
            if (step.fire()) {
                fired.add(i);
            }
        }
        return fired;
    }

    private static long[] everySecond(int frames) {
        long[] times = new long[frames];
        for (int i = 0; i < frames; i++) {
            times[i] = i * 1000L;
        }
        return times;
    }

    @Test
    void alertsWhenKOfTheLastNFramesAreAnomalousOnAnAnomalousFrame() {
        boolean[] frames = {true, false, false, true, false, true, true, false};

        assertThat(alerts(new AlertPolicy(2, 3, 0), frames, everySecond(frames.length)))
                .containsExactly(5, 6);
    }

    @Test
    void aNormalFrameNeverAlertsEvenWithEnoughAnomaliesInTheWindow() {
        boolean[] frames = {true, true, false};

        assertThat(alerts(new AlertPolicy(2, 3, 0), frames, everySecond(3))).containsExactly(1);
    }

    @Test
    void theCooldownIsMeasuredInCaptureTime() {
        boolean[] frames = {true, true, true, true, true};
        long[] capture = {0, 4_000, 9_999, 10_000, 12_000};

        assertThat(alerts(new AlertPolicy(1, 1, 10_000), frames, capture)).containsExactly(0, 3);
    }

    @Test
    void theWindowKeepsAtMostNFramesAndShrinksWithThePolicy() {
        AlertState state = AlertState.initial();
        for (int i = 0; i < 10; i++) {
            state = state.next(true, i, new AlertPolicy(1, 4, Long.MAX_VALUE)).state();
        }
        assertThat(state.recent()).hasSize(4);

        AlertState.Step step = state.next(false, 11, new AlertPolicy(2, 2, 0));

        assertThat(step.state().recent()).containsExactly(1, 0);
        assertThat(step.fire()).isFalse();
    }

    @Test
    void describesThePolicyInWords() {
        assertThat(AlertState.describe(new AlertPolicy(3, 5, 10_000)))
                .isEqualTo("3 of last 5, cooldown 10000 ms");
    }
}
