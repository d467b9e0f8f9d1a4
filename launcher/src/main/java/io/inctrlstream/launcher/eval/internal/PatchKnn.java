package io.inctrlstream.launcher.eval.internal;

import io.inctrlstream.model.ImageFeatures;
import java.util.List;

/**
 * The patch-kNN baseline (PatchCore/SPADE-style, no learned parts): for each query patch token the
 * Euclidean distance to the nearest of the K*N shot patch tokens of the same tapped layer (raw
 * tokens, not normalized), averaged over the tapped layers; the image's score is the largest over
 * its patches. InCTRL's s_p differs in using the cosine residual of normalized tokens.
 */
public final class PatchKnn {
    private final int taps;
    private final int patches;
    private final int width;
    private final int shotPatches;

    /** Per tap, the shot patch tokens [K*N, W] row-major. */
    private final float[][] shots;

    /** Per tap, each shot patch token's squared norm. */
    private final double[][] shotNorms;

    /**
     * The baseline's memory of these shots.
     *
     * @throws IllegalArgumentException if there are no shots or their dimensions differ
     */
    public PatchKnn(List<ImageFeatures> shotFeatures) {
        if (shotFeatures.isEmpty()) {
            throw new IllegalArgumentException("patch-kNN needs at least one shot, found none");
        }
        ImageFeatures first = shotFeatures.get(0);
        this.taps = first.taps();
        this.patches = first.patches();
        this.width = first.width();
        this.shotPatches = shotFeatures.size() * patches;
        this.shots = new float[taps][shotPatches * width];
        this.shotNorms = new double[taps][shotPatches];
        for (int k = 0; k < shotFeatures.size(); k++) {
            ImageFeatures shot = shotFeatures.get(k);
            requireDimensions(shot);
            float[] tokens = shot.patchTokens();
            for (int l = 0; l < taps; l++) {
                System.arraycopy(
                        tokens,
                        l * patches * width,
                        shots[l],
                        k * patches * width,
                        patches * width);
            }
        }
        for (int l = 0; l < taps; l++) {
            for (int j = 0; j < shotPatches; j++) {
                shotNorms[l][j] = squaredNorm(shots[l], j * width);
            }
        }
    }

    /**
     * The query's score: max over its patches of the mean over layers of the nearest-shot-patch
     * distance.
     *
     * @throws IllegalArgumentException if the query's dimensions differ from the shots'
     */
    public double score(ImageFeatures query) {
        requireDimensions(query);
        float[] tokens = query.patchTokens();
        double[] map = new double[patches];
        for (int l = 0; l < taps; l++) {
            float[] bank = shots[l];
            double[] norms = shotNorms[l];
            for (int i = 0; i < patches; i++) {
                int q = (l * patches + i) * width;
                double queryNorm = squaredNorm(tokens, q);
                double nearest = Double.POSITIVE_INFINITY;
                for (int j = 0; j < shotPatches; j++) {
                    int s = j * width;
                    double dot = 0;
                    for (int c = 0; c < width; c++) {
                        dot += tokens[q + c] * bank[s + c];
                    }
                    nearest = Math.min(nearest, queryNorm + norms[j] - 2 * dot);
                }
                map[i] += Math.sqrt(Math.max(0, nearest)) / taps;
            }
        }
        double score = Double.NEGATIVE_INFINITY;
        for (double value : map) {
            score = Math.max(score, value);
        }
        return score;
    }

    private double squaredNorm(float[] values, int offset) {
        double sum = 0;
        for (int c = 0; c < width; c++) {
            sum += (double) values[offset + c] * values[offset + c];
        }
        return sum;
    }

    private void requireDimensions(ImageFeatures features) {
        if (features.taps() != taps || features.patches() != patches || features.width() != width) {
            throw new IllegalArgumentException(
                    "expected features of "
                            + taps
                            + " taps, "
                            + patches
                            + " patches and width "
                            + width
                            + ", found "
                            + features);
        }
    }
}
