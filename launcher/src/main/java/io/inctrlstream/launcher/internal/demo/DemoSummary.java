package io.inctrlstream.launcher.internal.demo;

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
 */
public record DemoSummary(
        String modelId,
        String device,
        String dashboardUrl,
        String heatmaps,
        long heatmapsWritten,
        long deadLetters,
        double seconds,
        List<LineSnapshot> lines) {}
