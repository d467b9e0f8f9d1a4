package io.inctrlstream.launcher.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.launcher.internal.JobHealth;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo's verdict and summary: "done" only when every frame sent was answered. */
class DemoVerdictTest {
    private static final JobHealth HEALTHY =
            new JobHealth("RUNNING", 0, 4, 0, 0, 2_500_000, "", "");

    private static LineSnapshot line(String id, long sent, long scored, long dropped) {
        return new LineSnapshot(
                id, "pcb", 0.3, sent, 2, scored, 0, 0, 1, 1, 1, 1, 1.0, 40, 90, 0.2, false, dropped,
                0, 0);
    }

    @Test
    void accountingAddsUpEveryLinesFrames() {
        FrameAccounting frames =
                FrameAccounting.of(
                        List.of(line("line-1", 30, 30, 0), line("line-2", 20, 17, 5)), 30);

        assertThat(frames).isEqualTo(new FrameAccounting(50, 47, 0, 0, 0, 3, 5, 0, 5));
    }

    @Test
    void aRunWithEveryFrameScoredIsDoneDropsAndFailedCheckpointsAreNotes() {
        FrameAccounting frames = FrameAccounting.of(List.of(line("line-1", 30, 30, 4)), 34);
        JobHealth health =
                new JobHealth("RUNNING", 1, 4, 2, 1, 2_500_000, "Checkpoint expired", "boom");

        assertThat(DemoVerdict.problems(frames, health, Optional.empty())).isEmpty();
        assertThat(DemoVerdict.notes(frames, health))
                .containsExactly(
                        "the job restarted once and recovered from its checkpoints (boom)",
                        "2 checkpoints failed (latest: Checkpoint expired)",
                        "4 frames dropped at the camera: the job was behind (offered more than it"
                                + " scores)");
    }

    @Test
    void aCheckpointThatFailedToTriggerAndLateCamerasAreSaidSo() {
        FrameAccounting frames = FrameAccounting.of(List.of(line("line-1", 30, 30, 0)), 36);
        JobHealth health = new JobHealth("RUNNING", 0, 4, 1, 0, 2_500_000, "", "");

        assertThat(DemoVerdict.notes(frames, health))
                .containsExactly(
                        "1 checkpoints failed to trigger (no failure recorded: e.g. while the"
                                + " tasks were still starting)",
                        "6 frames of the offered rate were never produced: the cameras were late"
                                + " (this machine's CPU)");
    }

    @Test
    void unscoredFramesLostStateAndAFailedJobAreProblems() {
        FrameAccounting frames = FrameAccounting.of(List.of(line("line-1", 30, 27, 0)), 30);
        JobHealth health = new JobHealth("FAILED", 3, 0, 3, 0, 0, "too large", "");

        assertThat(DemoVerdict.problems(frames, health, Optional.of("IOException: gone")))
                .containsExactly(
                        "the inspection job failed: IOException: gone",
                        "the job restarted 3 times without a checkpoint to restore (the lines'"
                                + " state started over)",
                        "3 frames sent were never scored");
    }

    @Test
    void theSummarySaysDoneOnlyWhenComplete() {
        List<LineSnapshot> lines = List.of(line("line-1", 30, 30, 2));
        FrameAccounting frames = FrameAccounting.of(lines, 32);
        DemoSummary done = summary(lines, frames, List.of());

        assertThat(Demo.summaryText(done))
                .startsWith(
                        "Demo done after 0:00:40: 1 lines.",
                        "Frames: 30 sent = 30 scored + 0 no reference + 0 failed + 0 dead letters"
                                + " + 0 unscored; 2 dropped at the camera (job behind); 0 not"
                                + " produced in time (camera late).")
                .contains(
                        "Job: job RUNNING: 0 restarts, checkpoints 4 completed (latest 2.5 MB), 0"
                                + " failed.");
        assertThat(done.complete()).isTrue();

        DemoSummary incomplete = summary(lines, frames, List.of("3 frames sent were never scored"));
        assertThat(Demo.summaryText(incomplete).get(0))
                .isEqualTo(
                        "Demo INCOMPLETE after 0:00:40: 1 lines: 3 frames sent were never scored");
        assertThat(incomplete.complete()).isFalse();
    }

    private static DemoSummary summary(
            List<LineSnapshot> lines, FrameAccounting frames, List<String> problems) {
        return new DemoSummary(
                "tiny@1",
                "CPU",
                "http://localhost:1",
                Path.of("/tmp/h").toString(),
                1,
                0,
                40,
                lines,
                frames,
                HEALTHY,
                problems,
                DemoVerdict.notes(frames, HEALTHY));
    }
}
