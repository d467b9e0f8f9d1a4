package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.FrameToScore;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.codec.AvroCodec;
import java.io.Serializable;

/**
 * Turns a frame record's bytes into a {@link FrameToScore}, or says why it cannot: too large, not
 * one of our Frame records, an invalid line id ({@code LineIds}), no frame id, or an image record
 * that cannot be right.
 */
final class FrameDecoding implements Serializable {
    private static final long serialVersionUID = 1L;

    private final AvroCodec<Frame> codec = AvroCodec.frames();
    private final long maxBytes;
    private final long maxPixels;

    FrameDecoding(long maxBytes, long maxPixels) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    FrameToScore decode(byte[] value) throws RejectedRecordException {
        Decoding.checkSize(value, maxBytes, DeadLetterReason.FRAME_TOO_LARGE, "frame");
        Frame frame = Decoding.decode(codec, value);
        String lineId = frame.getLineId();
        String frameId = frame.getFrameId();
        Decoding.checkLineId(
                lineId, "frame " + Decoding.quote(frameId), DeadLetterReason.INVALID_FRAME);
        if (frameId.isEmpty()) {
            throw new RejectedRecordException(
                    DeadLetterReason.INVALID_FRAME,
                    "frame of line " + Decoding.quote(lineId) + " has an empty frame id");
        }
        Decoding.checkInputId(
                frameId,
                "frame id of line " + Decoding.quote(lineId),
                DeadLetterReason.INVALID_FRAME);
        Decoding.checkInputId(
                frame.getCameraId(),
                "camera id of frame "
                        + Decoding.quote(frameId)
                        + " of line "
                        + Decoding.quote(lineId),
                DeadLetterReason.INVALID_FRAME);
        ImagePayload image =
                ImageChecks.payload(
                        frame.getImage(),
                        "frame " + Decoding.quote(frameId) + " of line " + Decoding.quote(lineId),
                        maxPixels,
                        DeadLetterReason.INVALID_FRAME);
        return new FrameToScore(
                lineId, frame.getCameraId(), frameId, frame.getCaptureTime().toEpochMilli(), image);
    }
}
