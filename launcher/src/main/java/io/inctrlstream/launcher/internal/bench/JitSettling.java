package io.inctrlstream.launcher.internal.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Warms a benchmark phase up until this JVM's JIT compiler has settled, so that a phase measures
 * compiled code rather than the compiler. On two cores a fixed warm-up was not enough: after 30 s
 * of the job at saturation the C2 compiler thread still took a fifth of the process's CPU (Flink's
 * and Kafka's code is large, and one C2 thread works through it), and after 240 s it took 4 %.
 *
 * <p>A warm-up runs rounds of the phase's own work and measures, per round, the compiler's time
 * ({@link CompilationMXBean#getTotalCompilationTime()}, summed over the compiler threads) per wall
 * time, in cores. It stops after the first round at or below {@code settledCores} once {@code
 * minimum} has passed, or when {@code maximum} has passed, whichever comes first.
 */
final class JitSettling {
    /** The compiler's share, in cores, at or below which the JIT counts as settled. */
    static final double SETTLED_CORES = 0.05;

    /** One round of a phase's work. */
    interface Round {
        void run() throws Exception;
    }

    /** What a warm-up did: its rounds, its length and the compiler's share in its last round. */
    record Outcome(int rounds, double seconds, double lastRoundCores, boolean settled) {}

    private final LongSupplier compileMillis;
    private final LongSupplier nanoTime;
    private final double settledCores;

    JitSettling(LongSupplier compileMillis, LongSupplier nanoTime, double settledCores) {
        this.compileMillis = Objects.requireNonNull(compileMillis, "compileMillis");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.settledCores = settledCores;
    }

    /**
     * This JVM's compiler, {@link #SETTLED_CORES}.
     *
     * @throws IllegalStateException if the JVM does not report its compilation time
     */
    static JitSettling ofThisJvm() {
        CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        if (bean == null || !bean.isCompilationTimeMonitoringSupported()) {
            throw new IllegalStateException(
                    "expected a JVM that reports its JIT compilation time, found "
                            + System.getProperty("java.vm.name"));
        }
        return new JitSettling(bean::getTotalCompilationTime, System::nanoTime, SETTLED_CORES);
    }

    /** Runs rounds until the compiler has settled after {@code minimum}, or {@code maximum}. */
    Outcome warmUp(Duration minimum, Duration maximum, Round round) throws Exception {
        long start = nanoTime.getAsLong();
        int rounds = 0;
        double cores;
        boolean settled;
        long elapsed;
        do {
            Reading before = now();
            round.run();
            rounds++;
            cores = before.coresUntil(now());
            elapsed = nanoTime.getAsLong() - start;
            settled = cores <= settledCores;
        } while (elapsed < maximum.toNanos() && (elapsed < minimum.toNanos() || !settled));
        return new Outcome(rounds, elapsed / 1e9, cores, settled);
    }

    /** The compiler's time and the wall time now. */
    Reading now() {
        return new Reading(compileMillis.getAsLong(), nanoTime.getAsLong());
    }

    /** A moment's compiler time (ms) and wall time (ns). */
    record Reading(long compileMillis, long nanos) {
        /** The compiler's time per wall time from this reading to {@code later}, in cores. */
        double coresUntil(Reading later) {
            long wallNanos = later.nanos - nanos;
            if (wallNanos <= 0) {
                return 0;
            }
            return (later.compileMillis - compileMillis) * 1e6 / wallNanos;
        }
    }
}
