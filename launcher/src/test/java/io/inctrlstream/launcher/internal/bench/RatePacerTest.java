package io.inctrlstream.launcher.internal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RatePacerTest {
    private final AtomicLong clock = new AtomicLong(5_000_000_000L);

    @Test
    void eventNIsDueNOverTheRateAfterTheStart() {
        RatePacer pacer = new RatePacer(4, clock::get);
        assertThat(pacer.dueNanos(0)).isEqualTo(5_000_000_000L);
        assertThat(pacer.dueNanos(1)).isEqualTo(5_250_000_000L);
        assertThat(pacer.dueNanos(10)).isEqualTo(7_500_000_000L);
        RatePacer fractional = new RatePacer(3, clock::get);
        assertThat(fractional.dueNanos(1)).isEqualTo(5_333_333_333L);
        assertThat(fractional.dueNanos(3)).isEqualTo(6_000_000_000L);
    }

    @Test
    void aLateEventIsDueAtOnceAndDoesNotShiftTheNextOnes() {
        RatePacer pacer = new RatePacer(10, clock::get);
        assertThat(pacer.nanosUntil(1)).isEqualTo(100_000_000L);
        clock.addAndGet(350_000_000L); // the producer stalled for 350 ms
        assertThat(pacer.nanosUntil(1)).isZero();
        assertThat(pacer.nanosUntil(3)).isZero();
        assertThat(pacer.nanosUntil(4)).isEqualTo(50_000_000L);
    }

    @Test
    void awaitTurnReturnsAtOnceForADueEvent() throws InterruptedException {
        RatePacer pacer = new RatePacer(1, clock::get);
        pacer.awaitTurn(0); // due at the start: must not wait on the frozen clock
        clock.addAndGet(1_000_000_000L);
        pacer.awaitTurn(1);
        assertThat(pacer.nanosUntil(1)).isZero();
    }

    @Test
    void aRateThatIsNotPositiveAndFiniteOrANegativeEventIsAnError() {
        for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new RatePacer(rate, clock::get))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected a positive rate in events per second, found " + rate);
        }
        RatePacer pacer = new RatePacer(1, clock::get);
        assertThatThrownBy(() -> pacer.dueNanos(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an event number >= 0, found -1");
    }
}
