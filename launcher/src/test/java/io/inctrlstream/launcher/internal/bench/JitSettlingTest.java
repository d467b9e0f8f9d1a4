package io.inctrlstream.launcher.internal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitSettlingTest {
    /**
     * A clock and a compiler that each round advances: 10 s of wall time and a given compile time.
     */
    private static final class FakeJvm {
        long nanos;
        long compileMillis;
        final List<Long> compileMillisPerRound;
        int rounds;

        FakeJvm(List<Long> compileMillisPerRound) {
            this.compileMillisPerRound = compileMillisPerRound;
        }

        void round() {
            compileMillis += compileMillisPerRound.get(rounds++);
            nanos += Duration.ofSeconds(10).toNanos();
        }

        JitSettling settling() {
            return new JitSettling(() -> compileMillis, () -> nanos, 0.05);
        }
    }

    @Test
    void warmsUpUntilTheFirstRoundWithTheCompilerAtOrBelowTheThreshold() throws Exception {
        // 10 s rounds: 3 s, 1 s, then 0.5 s of compiling = 0.30, 0.10, 0.05 cores
        FakeJvm jvm = new FakeJvm(new ArrayList<>(List.of(3000L, 1000L, 500L, 0L)));
        JitSettling.Outcome outcome =
                jvm.settling().warmUp(Duration.ZERO, Duration.ofMinutes(5), jvm::round);
        assertThat(outcome.rounds()).isEqualTo(3);
        assertThat(outcome.settled()).isTrue();
        assertThat(outcome.lastRoundCores()).isEqualTo(0.05);
        assertThat(outcome.seconds()).isEqualTo(30.0);
    }

    @Test
    void goesOnPastASettledRoundUntilTheMinimumHasPassed() throws Exception {
        FakeJvm jvm = new FakeJvm(List.of(0L, 0L, 0L, 0L));
        JitSettling.Outcome outcome =
                jvm.settling().warmUp(Duration.ofSeconds(25), Duration.ofMinutes(5), jvm::round);
        assertThat(outcome.rounds()).isEqualTo(3);
        assertThat(outcome.settled()).isTrue();
    }

    @Test
    void stopsAtTheMaximumAndSaysTheCompilerHadNotSettled() throws Exception {
        FakeJvm jvm = new FakeJvm(List.of(2000L, 2000L, 2000L, 2000L));
        JitSettling.Outcome outcome =
                jvm.settling().warmUp(Duration.ZERO, Duration.ofSeconds(20), jvm::round);
        assertThat(outcome.rounds()).isEqualTo(2);
        assertThat(outcome.settled()).isFalse();
        assertThat(outcome.lastRoundCores()).isEqualTo(0.2);
    }

    @Test
    void aZeroMaximumRunsOneRound() throws Exception {
        FakeJvm jvm = new FakeJvm(List.of(9000L, 0L));
        JitSettling.Outcome outcome =
                jvm.settling().warmUp(Duration.ZERO, Duration.ZERO, jvm::round);
        assertThat(outcome.rounds()).isEqualTo(1);
        assertThat(outcome.settled()).isFalse();
    }

    @Test
    void readingsGiveTheCompilersShareInCores() {
        JitSettling.Reading start = new JitSettling.Reading(1_000, 0);
        // two compiler threads busy for all of 2 s: 4 s of compile time = 2 cores
        assertThat(start.coresUntil(new JitSettling.Reading(5_000, 2_000_000_000L))).isEqualTo(2.0);
        assertThat(start.coresUntil(start)).isZero();
    }

    @Test
    void thisJvmReportsItsCompilationTime() {
        JitSettling.Reading now = JitSettling.ofThisJvm().now();
        assertThat(now.compileMillis()).isPositive();
    }
}
