package io.inctrlstream.launcher.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.internal.demo.LineStats.ScoreKind;
import org.junit.jupiter.api.Test;

class LineStatsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void countsFramesScoresAnomaliesAndAlertsAgainstTheInjectedDefects() {
        LineStats stats = new LineStats("line-1", "pcb");
        stats.threshold(0.3);
        stats.frameSent(Defect.NONE);
        stats.frameSent(Defect.SPOT);
        stats.frameSent(Defect.SCRATCH);
        stats.scored(ScoreKind.SCORED, 0.1, false, Defect.NONE, 10, SECOND);
        stats.scored(ScoreKind.SCORED, 0.5, true, Defect.SPOT, 20, SECOND);
        stats.scored(ScoreKind.SCORED, 0.4, true, Defect.NONE, 30, SECOND);
        stats.scored(ScoreKind.FAILED, Double.NaN, false, Defect.SCRATCH, 40, SECOND);
        stats.scored(ScoreKind.NO_REFERENCE, Double.NaN, false, null, 50, SECOND);
        stats.alert(Defect.SPOT);
        stats.alert(Defect.NONE);
        stats.alert(null);

        LineSnapshot s = stats.snapshot(SECOND);

        assertThat(s.framesSent()).isEqualTo(3);
        assertThat(s.defectsInjected()).isEqualTo(2);
        assertThat(s.scored()).isEqualTo(3);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.noReference()).isEqualTo(1);
        assertThat(s.answered()).isEqualTo(5);
        assertThat(s.anomalous()).isEqualTo(2);
        assertThat(s.anomalousOnDefects()).isEqualTo(1);
        assertThat(s.alerts()).isEqualTo(3);
        assertThat(s.alertsOnDefects()).isEqualTo(1);
        assertThat(s.lastScore()).isEqualTo(0.4);
        assertThat(s.lastAnomalous()).isTrue();
        assertThat(s.threshold()).isEqualTo(0.3);
    }

    @Test
    void everyFrameSentIsAnsweredOnceOrCountedUnanswered() {
        LineStats stats = new LineStats("line-1", "pcb");
        for (int n = 0; n < 5; n++) {
            stats.frameSent(Defect.NONE);
        }
        stats.droppedAtCamera();
        assertThat(stats.firstAnswer(CameraSimulator.frameId(0))).isTrue();
        stats.scored(ScoreKind.SCORED, 0.1, false, Defect.NONE, 10, SECOND);
        assertThat(stats.firstAnswer(CameraSimulator.frameId(1))).isTrue();
        stats.scored(ScoreKind.FAILED, Double.NaN, false, Defect.NONE, 10, SECOND);
        assertThat(stats.firstAnswer(CameraSimulator.frameId(0)))
                .as("a replayed score after a restart")
                .isFalse();
        assertThat(stats.firstAnswer("camera-7-frame")).isTrue();
        assertThat(stats.firstAnswer("camera-7-frame")).isFalse();
        stats.deadLetter();

        assertThat(stats.unanswered()).isEqualTo(2);
        LineSnapshot s = stats.snapshot(SECOND);
        assertThat(s.framesSent()).isEqualTo(5);
        assertThat(s.answered()).isEqualTo(2);
        assertThat(s.deadLetters()).isEqualTo(1);
        assertThat(s.unscored()).isEqualTo(2);
        assertThat(s.droppedAtCamera()).isEqualTo(1);
        assertThat(s.duplicates()).isEqualTo(2);
    }

    @Test
    void frameIdsRoundTripToTheirNumber() {
        assertThat(CameraSimulator.frameId(42)).isEqualTo("f-000042");
        assertThat(CameraSimulator.frameNumber("f-000042")).isEqualTo(42);
        assertThat(CameraSimulator.frameNumber("f-1234567")).isEqualTo(1_234_567);
        assertThat(CameraSimulator.frameNumber("g-000042")).isEqualTo(-1);
        assertThat(CameraSimulator.frameNumber("f-4x")).isEqualTo(-1);
        assertThat(CameraSimulator.frameNumber(null)).isEqualTo(-1);
    }

    @Test
    void latencyPercentilesComeFromTheRecentScores() {
        LineStats stats = new LineStats("line-1", "pcb");
        for (int i = 1; i <= 100; i++) {
            stats.scored(ScoreKind.SCORED, 0.1, false, Defect.NONE, i, SECOND);
        }

        LineSnapshot s = stats.snapshot(SECOND);

        // The window keeps the last 64: 37..100.
        assertThat(s.latencyP50Millis()).isEqualTo(68);
        assertThat(s.latencyP95Millis()).isEqualTo(97);
    }

    @Test
    void framesPerSecondCountsAnswersOfTheLastFiveSeconds() {
        LineStats stats = new LineStats("line-1", "pcb");
        for (int i = 0; i < 10; i++) {
            stats.scored(ScoreKind.SCORED, 0.1, false, Defect.NONE, 5, i * SECOND);
        }

        // At t=9 s, answers at 4..9 s are within 5 s: 6 answers in 5 s.
        assertThat(stats.snapshot(9 * SECOND).framesPerSecond()).isEqualTo(6 / 5.0);
        assertThat(stats.snapshot(100 * SECOND).framesPerSecond()).isZero();
    }

    @Test
    void aFreshLineHasNoLatencyAndNoScore() {
        LineSnapshot s = new LineStats("line-1", "pcb").snapshot(SECOND);

        assertThat(s.latencyP50Millis()).isEqualTo(-1);
        assertThat(s.latencyP95Millis()).isEqualTo(-1);
        assertThat(s.lastScore()).isNaN();
        assertThat(s.threshold()).isNaN();
    }
}
