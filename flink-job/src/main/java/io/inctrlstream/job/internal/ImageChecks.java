package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.schema.FrameImage;
import java.nio.ByteBuffer;

/**
 * Checks an image record by what it declares, without decoding it: positive sides, a pixel count
 * within budget, data present, and for raw encodings exactly width * height * channels bytes.
 * Whether a JPEG or PNG actually decodes (and to the declared size) is found out by the model
 * backend.
 */
final class ImageChecks {
    private ImageChecks() {}

    /**
     * The image as the job carries it.
     *
     * @param what names the image in messages ("frame image", "shot image 2")
     * @param invalid the reason of a malformed image record
     * @throws RejectedRecordException with {@code invalid}, or FRAME_TOO_LARGE when it declares
     *     more than {@code maxPixels} pixels
     */
    static ImagePayload payload(
            FrameImage image, String what, long maxPixels, DeadLetterReason invalid)
            throws RejectedRecordException {
        int width = image.getWidth();
        int height = image.getHeight();
        if (width <= 0 || height <= 0) {
            throw new RejectedRecordException(
                    invalid,
                    what + " must have a positive width and height, found " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new RejectedRecordException(
                    DeadLetterReason.FRAME_TOO_LARGE,
                    what
                            + " declares "
                            + width
                            + "x"
                            + height
                            + " = "
                            + pixels
                            + " pixels, more than the limit of "
                            + maxPixels);
        }
        ImageEncoding encoding = ImageEncoding.valueOf(image.getEncoding().name());
        byte[] data = bytes(image.getData());
        if (data.length == 0) {
            throw new RejectedRecordException(invalid, what + " has no data");
        }
        int channels = encoding == ImageEncoding.RGB8 ? 3 : encoding == ImageEncoding.GRAY8 ? 1 : 0;
        if (channels > 0 && data.length != pixels * channels) {
            throw new RejectedRecordException(
                    invalid,
                    what
                            + " is "
                            + encoding
                            + " "
                            + width
                            + "x"
                            + height
                            + ": expected "
                            + pixels * channels
                            + " bytes (width * height * "
                            + channels
                            + "), found "
                            + data.length);
        }
        return new ImagePayload(encoding, width, height, data);
    }

    /** The buffer's remaining bytes, without copying when it wraps a whole array. */
    static byte[] bytes(ByteBuffer buffer) {
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
