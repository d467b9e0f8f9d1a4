package io.inctrlstream.launcher.eval.internal;

import io.inctrlstream.launcher.eval.Evaluation;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar with an estimate of the time left (from the rate so far), on the error stream: on
 * a terminal redrawn in place at most every 200 ms, otherwise a line at every tenth of the work.
 * Thread-safe.
 */
public final class ProgressBar implements Evaluation.Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean interactive;
    private final LongSupplier clock;
    private long total;
    private long done;
    private long started;
    private long lastDrawn = Long.MIN_VALUE;
    private int lastTenth = -1;

    public ProgressBar(PrintWriter err, String label, boolean interactive, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.interactive = interactive;
        this.clock = clock;
    }

    @Override
    public synchronized void planned(long total) {
        this.total = Math.max(1, total);
        this.started = clock.getAsLong();
        draw(true);
    }

    @Override
    public synchronized void advanced(long units) {
        done = Math.min(total, done + units);
        draw(done == total);
    }

    /** Ends the bar's line on a terminal. */
    public synchronized void finish() {
        if (interactive) {
            err.println();
            err.flush();
        }
    }

    private void draw(boolean force) {
        long now = clock.getAsLong();
        int tenth = (int) (10 * done / total);
        if (interactive) {
            if (!force && now - lastDrawn < REDRAW_NANOS) {
                return;
            }
            err.print("\r" + line(now));
        } else {
            if (tenth == lastTenth) {
                return;
            }
            err.println(line(now));
            lastTenth = tenth;
        }
        lastDrawn = now;
        err.flush();
    }

    /** The bar's text at a time: {@code label [####------] 40% 40/100 1m05s left}. */
    String line(long now) {
        int filled = (int) (WIDTH * done / total);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        double elapsed = (now - started) / 1e9;
        String eta;
        if (done == total) {
            eta = "done in " + duration(elapsed);
        } else if (done == 0) {
            eta = "time left unknown";
        } else {
            eta = duration(elapsed * (total - done) / done) + " left";
        }
        return String.format(
                Locale.ROOT,
                "%s [%s] %3d%%  %d/%d  %s",
                label,
                bar,
                100 * done / total,
                done,
                total,
                eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
