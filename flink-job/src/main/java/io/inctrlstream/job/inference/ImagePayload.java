package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * One camera image as it travels through the job: still encoded, so that frames stay small on the
 * wire and in checkpoints. The inference backend decodes and preprocesses it on its own thread.
 *
 * <p>A Flink POJO (record). The array is not copied: treat it as immutable.
 *
 * @param encoding how {@code data} is encoded
 * @param width the image width in pixels, as declared by the producer
 * @param height the image height in pixels, as declared by the producer
 * @param data the encoded image
 */
public record ImagePayload(ImageEncoding encoding, int width, int height, byte[] data) {
    public ImagePayload {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(data, "data");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "image width and height must be positive, found " + width + "x" + height);
        }
    }

    @Override
    public String toString() {
        return "ImagePayload["
                + encoding
                + " "
                + width
                + "x"
                + height
                + ", "
                + data.length
                + " bytes]";
    }
}
