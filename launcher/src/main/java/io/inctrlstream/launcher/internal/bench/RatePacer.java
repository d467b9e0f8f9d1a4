package io.inctrlstream.launcher.internal.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces a producer at a fixed rate: event n is due {@code n / rate} seconds after the start, so a
 * late event does not shift the ones after it (no drift, no burst limit: an event that is late is
 * sent at once).
 */
public final class RatePacer {
    private final double ratePerSecond;
    private final LongSupplier nanoClock;
    private final long startNanos;

    /**
     * A pacer starting now.
     *
     * @throws IllegalArgumentException if the rate is not a positive finite number
     */
    public RatePacer(double ratePerSecond, LongSupplier nanoClock) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException(
                    "expected a positive rate in events per second, found " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** A pacer on {@link System#nanoTime()}, starting now. */
    public static RatePacer startingNow(double ratePerSecond) {
        return new RatePacer(ratePerSecond, System::nanoTime);
    }

    /**
     * When event n (from 0) is due, on the pacer's clock.
     *
     * @throws IllegalArgumentException if n is negative
     */
    public long dueNanos(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("expected an event number >= 0, found " + n);
        }
        return startNanos + Math.round(n * 1e9 / ratePerSecond);
    }

    /** Nanoseconds until event n is due; 0 when it is due or late. */
    public long nanosUntil(long n) {
        return Math.max(0, dueNanos(n) - nanoClock.getAsLong());
    }

    /** Waits until event n is due (returns at once when it is late). */
    public void awaitTurn(long n) throws InterruptedException {
        long wait;
        while ((wait = nanosUntil(n)) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while pacing event " + n);
            }
        }
    }
}
