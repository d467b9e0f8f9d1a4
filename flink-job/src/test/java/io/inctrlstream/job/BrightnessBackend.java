package io.inctrlstream.job;

import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BlockingInferenceBackend;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.ImageFailure;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.InferenceBackend;
import io.inctrlstream.job.inference.InferenceBackendContext;
import io.inctrlstream.job.inference.InferenceBackendFactory;
import io.inctrlstream.job.inference.InferenceBackends;
import io.inctrlstream.job.inference.NonRetryableInferenceException;
import io.inctrlstream.job.inference.ScoreValues;
import io.inctrlstream.job.inference.ScoringRequest;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.ImageDecoder;
import io.inctrlstream.model.image.ImageEncoding;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in model with the real image decoder: a frame's score is its mean brightness in [0, 1]
 * (so a bright defect scores higher than a dark good part), its patch map a 2x2 grid of that score;
 * a bank is just its shot count. Images that do not decode fail as with the real engine.
 */
public final class BrightnessBackend implements BlockingInferenceBackend {
    /** The model id this backend stands for. */
    public static final String MODEL_ID = "brightness@test";

    private final ImageDecoder decoder = new ImageDecoder();

    /** A serializable factory of this backend on a dedicated thread. */
    public static InferenceBackendFactory factory() {
        return new Factory();
    }

    /** The score this backend gives an image. */
    public static float brightness(DecodedImage image) {
        byte[] pixels = image.pixels();
        long sum = 0;
        for (byte value : pixels) {
            sum += value & 0xFF;
        }
        return (float) (sum / (255.0 * pixels.length));
    }

    @Override
    public BuiltBank buildBank(BankBuildRequest request) throws Exception {
        int shots = request.baseBank() == null ? 0 : ByteBuffer.wrap(request.baseBank()).getInt();
        for (int i = 0; i < request.newShots().size(); i++) {
            try {
                decode(request.newShots().get(i));
            } catch (ModelException e) {
                throw new NonRetryableInferenceException(
                        "shot image " + i + ": " + e.reason() + ": " + e.getMessage(), e);
            }
        }
        shots += request.newShots().size();
        return new BuiltBank(ByteBuffer.allocate(4).putInt(shots).array(), shots);
    }

    @Override
    public List<FrameScoreResult> scoreBatch(List<ScoringRequest> requests) {
        List<FrameScoreResult> results = new ArrayList<>();
        for (ScoringRequest request : requests) {
            try {
                float score = brightness(decode(request.image()));
                float[] map = new float[4];
                Arrays.fill(map, score);
                results.add(
                        FrameScoreResult.scored(
                                new ScoreValues(score, score, score, score, score, map)));
            } catch (ModelException e) {
                // The decoder fails with image reasons only.
                results.add(
                        FrameScoreResult.imageFailed(
                                ImageFailure.valueOf(e.reason().name()),
                                e.reason() + ": " + e.getMessage()));
            }
        }
        return results;
    }

    private DecodedImage decode(ImagePayload image) throws ModelException {
        return decoder.decode(
                ImageEncoding.valueOf(image.encoding().name()),
                image.data(),
                image.width(),
                image.height());
    }

    @Override
    public void close() {}

    private static final class Factory implements InferenceBackendFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public InferenceBackend create(InferenceBackendContext context) {
            return InferenceBackends.onDedicatedThread(
                    new BrightnessBackend(),
                    "brightness-" + context.subtaskIndex(),
                    Duration.ofSeconds(10));
        }
    }
}
