package io.inctrlstream.benchmarks;

import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.ImagePreprocessor;
import java.awt.image.BufferedImage;

/** Preprocessed synthetic frames for the scoring benchmark and the drift report. */
final class BenchInputs {
    private BenchInputs() {}

    /** The preprocessor with the bundle's constants. */
    static ImagePreprocessor preprocessor(BundleManifest manifest) {
        return new ImagePreprocessor(manifest.preprocess().toSpec());
    }

    /**
     * {@code count} different frames of {@code width}x{@code height}, preprocessed back to back.
     */
    static float[] preprocessedBatch(
            ImagePreprocessor preprocessor, int count, int width, int height, long seed) {
        float[] batch = new float[count * preprocessor.tensorLength()];
        for (int i = 0; i < count; i++) {
            preprocessor.preprocessInto(
                    decoded(SyntheticFrames.frame(width, height, seed + i)),
                    batch,
                    i * preprocessor.tensorLength());
        }
        return batch;
    }

    static DecodedImage decoded(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[width * height * 3];
        int index = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int pixel = image.getRGB(x, y);
                rgb[index++] = (byte) (pixel >> 16);
                rgb[index++] = (byte) (pixel >> 8);
                rgb[index++] = (byte) pixel;
            }
        }
        return DecodedImage.ofRgb(width, height, rgb);
    }
}
