package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the demo's live per-line view: a full screen redrawn in place (ANSI) for a terminal, or
 * plain periodic lines for logs and pipes. Pure text functions, so that they can be tested.
 */
public final class LiveView {
    /** ANSI: cursor to the top left, clear the screen below. */
    public static final String HOME_AND_CLEAR = "\u001b[H\u001b[J";

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private LiveView() {}

    /**
     * What the view says above the table.
     *
     * @param modelId the model's id
     * @param device where it runs
     * @param uptime how long the cameras have run
     * @param dashboardUrl the Flink dashboard
     * @param kafka the broker's address
     * @param heatmaps where alert heatmaps go
     */
    public record Header(
            String modelId,
            String device,
            Duration uptime,
            String dashboardUrl,
            String kafka,
            Path heatmaps) {}

    /** The whole screen, with ANSI colours (the caller moves the cursor home first). */
    static String screen(Header header, DemoBoard.Snapshot board) {
        StringBuilder b = new StringBuilder();
        b.append(BOLD)
                .append(" InCTRL-Stream demo")
                .append(RESET)
                .append("   model ")
                .append(header.modelId())
                .append(" on ")
                .append(header.device())
                .append("   up ")
                .append(clock(header.uptime()))
                .append('\n');
        b.append(" Flink dashboard  ")
                .append(CYAN)
                .append(header.dashboardUrl())
                .append(RESET)
                .append("   Kafka ")
                .append(header.kafka())
                .append('\n');
        b.append(" Alert heatmaps   ")
                .append(header.heatmaps())
                .append(DIM)
                .append("   (Ctrl-C stops)")
                .append(RESET)
                .append("\n\n");
        b.append(BOLD).append(tableHeader()).append(RESET).append('\n');
        for (LineSnapshot line : board.lines()) {
            b.append(row(line, true)).append('\n');
        }
        b.append(DIM)
                .append(" anomalies and alerts: total (of which on injected defects)")
                .append(RESET)
                .append("\n\n");
        b.append(BOLD).append(" Latest alerts").append(RESET).append('\n');
        if (board.recentAlerts().isEmpty()) {
            b.append(DIM).append("  none yet").append(RESET).append('\n');
        }
        for (AlertNote alert : board.recentAlerts()) {
            b.append("  ").append(alertText(alert, true)).append('\n');
        }
        b.append('\n').append(deadLetters(board)).append('\n');
        return b.toString();
    }

    /** The table's column titles. */
    static String tableHeader() {
        return String.format(
                Locale.ROOT,
                " %-10s %-10s %7s %5s %15s %7s %7s  %-4s %10s %10s %7s",
                "LINE",
                "PRODUCT",
                "FRAMES",
                "FPS",
                "LATENCY p50/95",
                "SCORE",
                "THRESH",
                "",
                "ANOMALIES",
                "ALERTS",
                "DEFECTS");
    }

    /** One line's row; coloured when {@code ansi}. */
    static String row(LineSnapshot line, boolean ansi) {
        String status;
        if (Double.isNaN(line.lastScore())) {
            status = line.answered() > 0 && line.scored() == 0 ? "wait" : "-";
        } else {
            status = line.lastAnomalous() ? "ANOM" : "ok";
        }
        String statusCell = String.format(Locale.ROOT, "%-4s", status);
        if (ansi) {
            String colour = status.equals("ANOM") ? RED : status.equals("ok") ? GREEN : YELLOW;
            statusCell = colour + statusCell + RESET;
        }
        return String.format(
                Locale.ROOT,
                " %-10s %-10s %7d %5.1f %15s %7s %7s  %s %10s %10s %7d",
                clip(line.lineId(), 10),
                clip(line.product(), 10),
                line.framesSent(),
                line.framesPerSecond(),
                latency(line),
                Double.isNaN(line.lastScore())
                        ? "-"
                        : String.format(Locale.ROOT, "%.3f", line.lastScore()),
                Double.isNaN(line.threshold())
                        ? "-"
                        : String.format(Locale.ROOT, "%.3f", line.threshold()),
                statusCell,
                line.anomalous() + " (" + line.anomalousOnDefects() + ")",
                line.alerts() + " (" + line.alertsOnDefects() + ")",
                line.defectsInjected());
    }

    /** Plain periodic lines, one per production line, prefixed with the uptime. */
    static List<String> plain(Header header, DemoBoard.Snapshot board) {
        List<String> lines = new ArrayList<>();
        String time = "[" + clock(header.uptime()) + "] ";
        for (LineSnapshot line : board.lines()) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%s%s %s frames=%d scored=%d fps=%.1f latency p50=%s p95=%s score=%s"
                                    + " threshold=%s anomalies=%d (%d on defects) alerts=%d (%d on"
                                    + " defects) defects=%d",
                            time,
                            line.lineId(),
                            line.product(),
                            line.framesSent(),
                            line.scored(),
                            line.framesPerSecond(),
                            millis(line.latencyP50Millis()),
                            millis(line.latencyP95Millis()),
                            Double.isNaN(line.lastScore())
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.3f", line.lastScore()),
                            Double.isNaN(line.threshold())
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.3f", line.threshold()),
                            line.anomalous(),
                            line.anomalousOnDefects(),
                            line.alerts(),
                            line.alertsOnDefects(),
                            line.defectsInjected()));
        }
        if (board.deadLetterCount() > 0) {
            lines.add(time + deadLetters(board).trim());
        }
        return lines;
    }

    /** An alert in one line: time, line, frame, score against threshold, truth, heatmap. */
    static String alertText(AlertNote alert, boolean ansi) {
        String truth;
        if (alert.injected() == null) {
            truth = "not a simulated frame";
        } else if (alert.injected() == Defect.NONE) {
            truth = "false alarm (no defect injected)";
        } else {
            truth = "injected " + alert.injected().name();
        }
        if (ansi) {
            truth = (alert.injected() == Defect.NONE ? YELLOW : RED) + truth + RESET;
        }
        return String.format(
                Locale.ROOT,
                "%s %s %s score %.3f >= %.3f  %s%s",
                CLOCK.format(alert.captureTime()),
                alert.lineId(),
                alert.frameId(),
                alert.finalScore(),
                alert.threshold(),
                truth,
                alert.heatmap() == null ? "" : "  " + alert.heatmap());
    }

    private static String deadLetters(DemoBoard.Snapshot board) {
        if (board.deadLetterCount() == 0) {
            return " Dead letters: none";
        }
        StringBuilder b = new StringBuilder(" Dead letters: " + board.deadLetterCount() + " (");
        String separator = "";
        for (Map.Entry<String, Long> entry : board.deadLetters().entrySet()) {
            b.append(separator).append(entry.getKey()).append(' ').append(entry.getValue());
            separator = ", ";
        }
        return b.append(')').toString();
    }

    private static String latency(LineSnapshot line) {
        if (line.latencyP50Millis() < 0) {
            return "-";
        }
        return line.latencyP50Millis() + " / " + line.latencyP95Millis() + " ms";
    }

    private static String millis(long value) {
        return value < 0 ? "-" : value + "ms";
    }

    static String clock(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return String.format(
                Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
