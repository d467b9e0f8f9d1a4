package io.inctrlstream.launcher.internal.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's maths: rates between rows, maxima over rows, the verdict. */
class SoakReportTest {
    private static final FlinkRest.JobFigures JOB =
            new FlinkRest.JobFigures(10, 1, 3_000_000, 3_000_000, 120, 80, 400, 3_500_000);
    private static final SoakSettings SETTINGS =
            SoakSettings.builder()
                    .bundle(Path.of("bundle"))
                    .lines(2)
                    .shotsPerLine(4)
                    .duration(Duration.ofSeconds(60))
                    .fps(1.5)
                    .failEvery(Duration.ofSeconds(20))
                    .build();

    @Test
    void ratesAreTakenAgainstThePreviousRow() {
        SoakSample first =
                SoakSample.of(10, counts(30, 20), JOB, 2, 0, new JvmMemory.Usage(5, 4, 3, 2), null);
        SoakSample second =
                SoakSample.of(
                        15, counts(45, 40), JOB, 2, 1, new JvmMemory.Usage(5, 4, 3, 2), first);

        assertThat(first.sentPerSecond()).isEqualTo(3.0);
        assertThat(first.scoredPerSecond()).isEqualTo(2.0);
        assertThat(second.sentPerSecond()).isEqualTo(3.0);
        assertThat(second.scoredPerSecond()).isEqualTo(4.0);
        assertThat(SoakSample.rate(10, 0)).isZero();
    }

    @Test
    void theReportTakesTheMaximaOverItsRows() {
        List<SoakSample> samples =
                List.of(
                        SoakSample.of(10, counts(3, 3), JOB, 2, 0, usage(100, 50, 7), null),
                        SoakSample.of(20, counts(6, 6), JOB, 2, 1, usage(300, 40, 9), null),
                        SoakSample.of(30, counts(9, 9), JOB, 2, 1, usage(200, 60, 8), null));

        SoakReport report = SoakReport.of(SETTINGS, "m@1", samples, counts(9, 9), JOB, 2, 1, null);

        assertThat(report.heapUsedMaxBytes()).isEqualTo(300);
        assertThat(report.heapAfterGcMaxBytes()).isEqualTo(60);
        assertThat(report.directMaxBytes()).isEqualTo(9);
        assertThat(report.restarts()).isEqualTo(2);
        assertThat(report.checkpointMillisMax()).isEqualTo(400);
        assertThat(report.checkpointBytesMax()).isEqualTo(3_500_000);
        assertThat(report.failEverySeconds()).isEqualTo(20.0);
        assertThat(report.passed()).isTrue();
        assertThat(report.verdict())
                .isEqualTo("every one of the 9 frames sent was scored exactly once");
    }

    @Test
    void missingScoresFailTheSoakAndAreCounted() {
        ScoreTally tally = new ScoreTally();
        tally.sent("a", 0);
        tally.sent("a", 1);
        tally.scored("a", 0, true);
        tally.scored("a", 0, true);

        SoakReport report =
                SoakReport.of(SETTINGS, "m@1", List.of(), tally.counts(), JOB, 0, 0, null);

        assertThat(report.passed()).isFalse();
        assertThat(report.verdict())
                .isEqualTo(
                        "not every frame was scored exactly once: 2 sent, 1 without a committed"
                                + " score, 1 duplicate scores, 0 scores not SCORED, 0 scores of"
                                + " frames not sent");
        assertThat(report.text()).last().asString().startsWith("FAILED: not every frame");
    }

    @Test
    void aFailedJobFailsTheSoakEvenWithEveryFrameScored() {
        SoakReport report =
                SoakReport.of(SETTINGS, "m@1", List.of(), counts(4, 4), JOB, 0, 0, "boom");

        assertThat(report.passed()).isFalse();
        assertThat(report.verdict()).isEqualTo("the inspection job failed: boom");
    }

    private static ScoreTally.Counts counts(long sent, long scored) {
        return new ScoreTally.Counts(sent, 0, scored, sent - scored, 0, 0, 0);
    }

    private static JvmMemory.Usage usage(long heapUsed, long heapAfterGc, long direct) {
        return new JvmMemory.Usage(heapUsed, heapAfterGc, direct, 0);
    }
}
