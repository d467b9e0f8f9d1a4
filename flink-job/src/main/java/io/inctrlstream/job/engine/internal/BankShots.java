package io.inctrlstream.job.engine.internal;

import io.inctrlstream.model.ImageFeatures;
import io.inctrlstream.model.ShotBank;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovers from a shot bank what {@code InctrlEngine.buildShotBank} needs to rebuild it, so that a
 * bank can be extended with more shots or given another category without keeping the shot images:
 * per shot its patch tokens (already L2-normalized per tapped layer; normalizing them again changes
 * them only by rounding) and, as its adapted embedding, the bank's mean a_s (the mean of K copies
 * of a_s and the new shots' adapted embeddings is the mean over all shots).
 */
public final class BankShots {
    private BankShots() {}

    /** One feature set per shot of {@code bank}, in the bank's order. */
    public static List<ImageFeatures> of(ShotBank bank) {
        int taps = bank.taps();
        int width = bank.width();
        int patches = bank.patches();
        int columns = bank.shotPatches();
        float[] meanAdapted = bank.shotAdaptedMean();
        FloatBuffer values = bank.bank();
        List<ImageFeatures> shots = new ArrayList<>(bank.shotCount());
        for (int k = 0; k < bank.shotCount(); k++) {
            float[] tokens = new float[taps * patches * width];
            for (int t = 0; t < taps; t++) {
                int layerBase = t * width * columns;
                for (int j = 0; j < patches; j++) {
                    int target = (t * patches + j) * width;
                    int column = k * patches + j;
                    for (int c = 0; c < width; c++) {
                        tokens[target + c] = values.get(layerBase + c * columns + column);
                    }
                }
            }
            shots.add(ImageFeatures.of(taps, patches, width, tokens, meanAdapted, meanAdapted));
        }
        return shots;
    }
}
