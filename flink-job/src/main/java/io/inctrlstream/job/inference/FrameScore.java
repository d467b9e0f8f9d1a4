package io.inctrlstream.job.inference;

/**
 * The result for one frame: its scores when {@link ScoreStatus#SCORED}, otherwise why there are
 * none. Carries the line context the frame was scored in (threshold, category, shots version, alert
 * policy), so that later stages need no line state of their own to interpret it.
 *
 * @param lineId the production line
 * @param cameraId the camera
 * @param frameId the frame
 * @param captureTimeMillis when the frame was captured
 * @param scoredTimeMillis when the result was produced (the operator's processing time)
 * @param status scored, no reference or failed
 * @param failureReason why it failed, or null
 * @param finalScore the final anomaly score in [0, 1], or null when not scored
 * @param holisticScore the holistic component, or null when not scored
 * @param patchScore the patch-level residual component, or null when not scored
 * @param imageScore the image-level residual component, or null when not scored
 * @param textScore the text prior component, or null when not scored
 * @param patchMap the per-patch anomaly map (row-major over the square patch grid), or null
 * @param threshold the line's threshold when the frame was scored
 * @param anomalous whether scored and {@code finalScore >= threshold}
 * @param shotsVersion the version of the shots the frame was compared with (0: never had shots)
 * @param category the line's product category, or null
 * @param alertPolicy the line's alert policy, or null for the job's default
 * @param attempts how many inference attempts the frame took (0 when no inference ran)
 * @param heatmapPng the heatmap PNG the backend rendered, or null
 * @param shotsHash content hash of the bank the frame was scored against, or null
 * @param imageFailure when FAILED because the image did not decode: why, else null
 * @param provenance when FAILED because the image did not decode: the frame's input record (for its
 *     dead letter), or null when unknown; null for every other result
 */
public record FrameScore(
        String lineId,
        String cameraId,
        String frameId,
        long captureTimeMillis,
        long scoredTimeMillis,
        ScoreStatus status,
        String failureReason,
        Float finalScore,
        Float holisticScore,
        Float patchScore,
        Float imageScore,
        Float textScore,
        float[] patchMap,
        double threshold,
        boolean anomalous,
        long shotsVersion,
        String category,
        AlertPolicy alertPolicy,
        int attempts,
        byte[] heatmapPng,
        String shotsHash,
        ImageFailure imageFailure,
        RecordProvenance provenance) {}
