package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * One frame to score against its line's bank; a batch mixes requests of many lines.
 *
 * @param lineId the production line
 * @param frameId the frame
 * @param bank the line's shot bank
 * @param image the frame's encoded image
 * @param threshold the line's threshold: a backend may render extras (the heatmap) only for frames
 *     scoring at or above it
 */
public record ScoringRequest(
        String lineId, String frameId, ShotBankRef bank, ImagePayload image, double threshold) {
    public ScoringRequest {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(image, "image");
    }
}
