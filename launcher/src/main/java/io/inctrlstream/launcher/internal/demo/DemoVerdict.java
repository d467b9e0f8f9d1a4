package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.internal.JobHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a demo run did what it says: its problems (any makes the run incomplete, exit code 5) and
 * its notes (worth saying, not a failure).
 */
final class DemoVerdict {
    private DemoVerdict() {}

    /** What makes the run incomplete: the job failed, lost its state, or frames went unscored. */
    static List<String> problems(
            FrameAccounting frames, JobHealth job, Optional<String> jobFailure) {
        List<String> problems = new ArrayList<>();
        jobFailure.ifPresent(failure -> problems.add("the inspection job failed: " + failure));
        if (job.restartsWithoutRestore() > 0) {
            problems.add(
                    "the job restarted "
                            + times(job.restartsWithoutRestore())
                            + " without a checkpoint to restore (the lines' state started over)");
        }
        if (frames.unscored() > 0) {
            problems.add(frames.unscored() + " frames sent were never scored");
        }
        return problems;
    }

    /** What is worth saying though not a failure: restarts recovered, failed checkpoints, drops. */
    static List<String> notes(FrameAccounting frames, JobHealth job) {
        List<String> notes = new ArrayList<>();
        long recovered = job.restarts() - job.restartsWithoutRestore();
        if (recovered > 0) {
            notes.add(
                    "the job restarted "
                            + times(recovered)
                            + " and recovered from its checkpoints"
                            + (job.lastFailure().isEmpty() ? "" : " (" + job.lastFailure() + ")"));
        }
        if (job.checkpointsFailed() > 0) {
            notes.add(
                    job.checkpointsFailed()
                            + " checkpoints failed"
                            + (job.lastCheckpointFailure().isEmpty()
                                    ? " to trigger (no failure recorded: e.g. while the tasks"
                                            + " were still starting)"
                                    : " (latest: " + job.lastCheckpointFailure() + ")"));
        }
        if (frames.droppedAtCamera() > 0) {
            notes.add(
                    frames.droppedAtCamera()
                            + " frames dropped at the camera: the job was behind (offered more"
                            + " than it scores)");
        }
        if (frames.cameraLate() > 0) {
            notes.add(
                    frames.cameraLate()
                            + " frames of the offered rate were never produced: the cameras were"
                            + " late (this machine's CPU)");
        }
        if (frames.duplicates() > 0) {
            notes.add(frames.duplicates() + " scores written again after a restart (ignored)");
        }
        return notes;
    }

    private static String times(long n) {
        return n == 1 ? "once" : n + " times";
    }
}
