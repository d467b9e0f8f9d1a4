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
 */
public record FrameToScore(
        String lineId,
        String cameraId,
        String frameId,
        long captureTimeMillis,
        ImagePayload image) {
    public FrameToScore {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(image, "image");
    }
}
