package io.inctrlstream.launcher.internal.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Shows the demo's start-up steps as they run: {@code [2/6] Creating topics ... done (0.4 s): 6
 * topics}. On a terminal a spinner turns while a step runs.
 */
final class StartupProgress {
    private static final String SPINNER = "|/-\\";

    private final PrintStream out;
    private final boolean ansi;
    private final int steps;
    private int step;

    StartupProgress(PrintStream out, boolean ansi, int steps) {
        this.out = out;
        this.ansi = ansi;
        this.steps = steps;
    }

    /** Runs one step; its result is the detail printed after "done". */
    String step(String title, Callable<String> work) throws Exception {
        step++;
        String prefix = String.format(Locale.ROOT, "[%d/%d] %s ", step, steps, title);
        long start = System.nanoTime();
        Thread spinner = null;
        if (ansi) {
            out.print(prefix);
            out.flush();
            spinner = new Thread(() -> spin(prefix), "inctrl-demo-spinner");
            spinner.setDaemon(true);
            spinner.start();
        } else {
            out.println(prefix + "...");
            out.flush();
        }
        String detail;
        try {
            detail = work.call();
        } catch (Exception | Error e) {
            stop(spinner);
            finish(prefix, "\u001b[31mfailed\u001b[0m", "failed", start, null);
            throw e;
        }
        stop(spinner);
        finish(prefix, "\u001b[32mdone\u001b[0m", "done", start, detail);
        return detail;
    }

    private void finish(String prefix, String ansiWord, String word, long start, String detail) {
        String elapsed = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
        String tail = detail == null || detail.isEmpty() ? "" : ": " + detail;
        if (ansi) {
            out.print("\r\u001b[K" + prefix + ansiWord + " (" + elapsed + ")" + tail + "\n");
        } else {
            out.println("      " + word + " (" + elapsed + ")" + tail);
        }
        out.flush();
    }

    private void spin(String prefix) {
        int i = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                synchronized (out) {
                    out.print("\r" + prefix + SPINNER.charAt(i++ % SPINNER.length()));
                    out.flush();
                }
                Thread.sleep(120);
            }
        } catch (InterruptedException e) {
            // step done
        }
    }

    private static void stop(Thread spinner) throws InterruptedException {
        if (spinner != null) {
            spinner.interrupt();
            spinner.join();
        }
    }
}
