package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.internal.JobHealth;
import java.util.List;

/**
 * What a demo run did, for the final printout and the {@code --summary} JSON file.
 *
 * @param modelId the model's id
 * @param device where it ran
 * @param dashboardUrl the Flink dashboard it had
 * @param heatmaps the heatmaps folder
 * @param heatmapsWritten how many heatmaps were written
 * @param deadLetters dead letters seen
 * @param seconds how long the cameras ran
 * @param lines each line's figures
 * @param frames where every frame went
 * @param job the job's restarts and checkpoints
 * @param problems what makes the run incomplete; empty when it is complete
 * @param notes what is worth saying though not a failure
 */
public record DemoSummary(
        String modelId,
        String device,
        String dashboardUrl,
        String heatmaps,
        long heatmapsWritten,
        long deadLetters,
        double seconds,
        List<LineSnapshot> lines,
        FrameAccounting frames,
        JobHealth job,
        List<String> problems,
        List<String> notes) {

    /** Whether the run did what it says: no job failure, no lost state, every frame answered. */
    public boolean complete() {
        return problems.isEmpty();
    }
}
