package io.inctrlstream.launcher.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.launcher.images.Defect;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveViewTest {
    private static final String ESC = "\u001b[";

    private static LineSnapshot line(String id, double lastScore, boolean anomalous) {
        return new LineSnapshot(
                id,
                "metal_nut",
                0.35,
                120,
                12,
                118,
                0,
                1,
                9,
                8,
                5,
                4,
                2.0,
                45,
                120,
                lastScore,
                anomalous,
                0,
                0,
                0);
    }

    private static LiveView.Header header() {
        return new LiveView.Header(
                "inctrl-tiny@1",
                "CPU",
                Duration.ofSeconds(3723),
                "http://localhost:8081",
                "localhost:9092",
                Path.of("/tmp/heatmaps"));
    }

    private static DemoBoard.Snapshot board(List<LineSnapshot> lines, List<AlertNote> alerts) {
        return new DemoBoard.Snapshot(lines, alerts, Map.of());
    }

    @Test
    void rowShowsEveryFigureOfALine() {
        String row = LiveView.row(line("line-1", 0.4123, true), false);

        assertThat(row.trim().split("\\s+"))
                .containsExactly(
                        "line-1",
                        "metal_nut",
                        "120",
                        "2.0",
                        "45",
                        "/",
                        "120",
                        "ms",
                        "0.412",
                        "0.350",
                        "ANOM",
                        "9",
                        "(8)",
                        "5",
                        "(4)",
                        "12");
        assertThat(row).doesNotContain(ESC);
    }

    @Test
    void rowColumnsLineUpWithTheHeader() {
        String header = LiveView.tableHeader();
        String row = LiveView.row(line("line-1", 0.4123, false), false);

        assertThat(row).hasSameSizeAs(header);
        assertThat(row.indexOf("0.412") + "0.412".length())
                .isEqualTo(header.indexOf("SCORE") + "SCORE".length());
        assertThat(row.lastIndexOf("12")).isEqualTo(header.length() - 2);
    }

    @Test
    void aLineWithoutScoresShowsDashes() {
        LineSnapshot fresh =
                new LineSnapshot(
                        "line-2",
                        "pcb",
                        Double.NaN,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        -1,
                        -1,
                        Double.NaN,
                        false,
                        0,
                        0,
                        0);

        String row = LiveView.row(fresh, false);

        assertThat(row.trim().split("\\s+"))
                .containsExactly(
                        "line-2", "pcb", "0", "0.0", "-", "-", "-", "-", "0", "(0)", "0", "(0)",
                        "0");
    }

    @Test
    void ansiRowColoursTheStatus() {
        assertThat(LiveView.row(line("line-1", 0.5, true), true)).contains(ESC + "31mANOM");
        assertThat(LiveView.row(line("line-1", 0.2, false), true)).contains(ESC + "32mok  ");
    }

    @Test
    void screenHasHeaderTableAlertsAndDeadLetters() {
        AlertNote alert =
                new AlertNote(
                        Instant.parse("2026-01-01T10:00:00Z"),
                        "line-1",
                        "f-000007",
                        0.52,
                        0.35,
                        Defect.SPOT,
                        Path.of("/tmp/heatmaps/line-1/f-000007.png"));
        String screen =
                LiveView.screen(
                        header(),
                        new DemoBoard.Snapshot(
                                List.of(line("line-1", 0.52, true)),
                                List.of(alert),
                                Map.of("MALFORMED", 2L)));

        String plain = screen.replaceAll("\u001b\\[[0-9;]*m", "");
        assertThat(plain)
                .contains("model inctrl-tiny@1 on CPU", "up 1:02:03", "http://localhost:8081")
                .contains("Kafka localhost:9092", "/tmp/heatmaps", "Ctrl-C stops")
                .contains(LiveView.tableHeader())
                .contains("line-1 f-000007 score 0.520 >= 0.350  injected SPOT")
                .contains("/tmp/heatmaps/line-1/f-000007.png")
                .contains("Dead letters: 2 (MALFORMED 2)");
    }

    @Test
    void screenSaysWhenThereAreNoAlertsYet() {
        String screen = LiveView.screen(header(), board(List.of(), List.of()));

        assertThat(screen).contains("none yet").contains("Dead letters: none");
    }

    @Test
    void plainLinesHaveNoAnsiCodesAndOneLinePerProductionLine() {
        List<String> lines =
                LiveView.plain(
                        header(),
                        board(
                                List.of(line("line-1", 0.3, false), line("line-2", 0.6, true)),
                                List.of()));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .isEqualTo(
                        "[1:02:03] line-1 metal_nut frames=120 scored=118 fps=2.0 latency p50=45ms"
                                + " p95=120ms score=0.300 threshold=0.350 anomalies=9 (8 on"
                                + " defects) alerts=5 (4 on defects) defects=12");
        assertThat(String.join("\n", lines)).doesNotContain(ESC);
    }

    @Test
    void alertTextNamesFalseAlarmsAndUnknownFrames() {
        Instant time = Instant.parse("2026-01-01T10:00:00Z");
        AlertNote falseAlarm = new AlertNote(time, "line-1", "f-1", 0.4, 0.3, Defect.NONE, null);
        AlertNote unknown = new AlertNote(time, "line-1", "f-2", 0.4, 0.3, null, null);

        assertThat(LiveView.alertText(falseAlarm, false))
                .endsWith("score 0.400 >= 0.300  false alarm (no defect injected)");
        assertThat(LiveView.alertText(unknown, false)).endsWith("not a simulated frame");
    }

    @Test
    void clockFormatsHoursMinutesSeconds() {
        assertThat(LiveView.clock(Duration.ofSeconds(5))).isEqualTo("0:00:05");
        assertThat(LiveView.clock(Duration.ofMinutes(61).plusSeconds(1))).isEqualTo("1:01:01");
        assertThat(LiveView.clock(Duration.ofSeconds(-3))).isEqualTo("0:00:00");
    }
}
