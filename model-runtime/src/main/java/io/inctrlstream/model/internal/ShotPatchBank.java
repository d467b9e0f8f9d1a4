package io.inctrlstream.model.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The arithmetic of a shot bank: each shot's patch tokens L2-normalized per tapped layer and laid
 * out [taps, width, K*N] (column s = k*N + j, so the scorer's cosine is one matrix product), and
 * the mean of the shots' adapted embeddings.
 */
public final class ShotPatchBank {
    private ShotPatchBank() {}

    /**
     * The normalized, transposed bank in a direct native-order buffer.
     *
     * @param shotTokens per shot, row-major [taps, patches, width]
     */
    public static ByteBuffer build(List<float[]> shotTokens, int taps, int patches, int width) {
        int shots = shotTokens.size();
        long columnsLong = (long) shots * patches;
        long total = (long) taps * width * columnsLong;
        if (total * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    shots
                            + " shots make a bank of "
                            + total
                            + " floats; one direct buffer holds at most "
                            + Integer.MAX_VALUE / Float.BYTES);
        }
        int columns = (int) columnsLong;
        // Written in place: a heap copy of the whole bank first would double its transient size.
        ByteBuffer buffer =
                ByteBuffer.allocateDirect((int) total * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer bank = buffer.asFloatBuffer();
        for (int k = 0; k < shots; k++) {
            float[] tokens = shotTokens.get(k);
            for (int t = 0; t < taps; t++) {
                int layerBase = t * width * columns;
                for (int j = 0; j < patches; j++) {
                    int source = (t * patches + j) * width;
                    float norm = Vectors.norm(tokens, source, width);
                    int column = k * patches + j;
                    for (int c = 0; c < width; c++) {
                        bank.put(layerBase + c * columns + column, tokens[source + c] / norm);
                    }
                }
            }
        }
        return buffer;
    }

    /** The element-wise mean of equally long vectors (accumulated in double). */
    public static float[] mean(List<float[]> vectors) {
        int length = vectors.get(0).length;
        double[] sums = new double[length];
        for (float[] vector : vectors) {
            for (int i = 0; i < length; i++) {
                sums[i] += vector[i];
            }
        }
        float[] mean = new float[length];
        for (int i = 0; i < length; i++) {
            mean[i] = (float) (sums[i] / vectors.size());
        }
        return mean;
    }
}
