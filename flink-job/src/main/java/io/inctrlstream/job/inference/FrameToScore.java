package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * A camera frame to score against its production line's shots.
 *
 * @param lineId the production line, the key of the inference operator
 * @param cameraId the camera that captured the frame
 * @param frameId unique per line; identifies the frame in outputs
 * @param captureTimeMillis when the frame was captured, epoch milliseconds
 * @param image the encoded image
 * @param provenance the input record the frame came from, for a dead letter should its image not
 *     decode; null when unknown (then such a frame gets its FAILED score only)
 */
public record FrameToScore(
        String lineId,
        String cameraId,
        String frameId,
        long captureTimeMillis,
        ImagePayload image,
        RecordProvenance provenance) {
    public FrameToScore {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(image, "image");
    }

    /** A frame without provenance. */
    public FrameToScore(
            String lineId,
            String cameraId,
            String frameId,
            long captureTimeMillis,
            ImagePayload image) {
        this(lineId, cameraId, frameId, captureTimeMillis, image, null);
    }

    /** This frame, from the record {@code provenance} describes. */
    public FrameToScore withProvenance(RecordProvenance provenance) {
        return new FrameToScore(lineId, cameraId, frameId, captureTimeMillis, image, provenance);
    }
}
