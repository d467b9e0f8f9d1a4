package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import java.nio.file.Path;
import java.time.Instant;

/**
 * An alert as the live view lists it.
 *
 * @param captureTime when the frame was captured
 * @param lineId the line
 * @param frameId the frame
 * @param finalScore its final score
 * @param threshold the line's threshold
 * @param injected the defect the simulated camera put in the frame, {@link Defect#NONE} if none,
 *     null if unknown
 * @param heatmap where its heatmap was written, or null
 */
public record AlertNote(
        Instant captureTime,
        String lineId,
        String frameId,
        double finalScore,
        double threshold,
        Defect injected,
        Path heatmap) {}
