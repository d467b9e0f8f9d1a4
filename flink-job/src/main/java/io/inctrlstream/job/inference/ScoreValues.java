package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * The scores of one frame against one bank, all in [0, 1] (higher: more anomalous).
 *
 * @param finalScore the final score
 * @param holisticScore the holistic component
 * @param patchScore the patch-level residual component
 * @param imageScore the image-level residual component
 * @param textScore the text prior component
 * @param patchMap the per-patch map, row-major over the square patch grid; not copied
 * @param heatmapPng the rendered heatmap PNG, or null (typically only rendered for frames at or
 *     above the threshold); not copied
 * @param bankHash a content hash of the bank the frame was scored against, or null
 */
public record ScoreValues(
        float finalScore,
        float holisticScore,
        float patchScore,
        float imageScore,
        float textScore,
        float[] patchMap,
        byte[] heatmapPng,
        String bankHash) {
    public ScoreValues {
        Objects.requireNonNull(patchMap, "patchMap");
    }

    /** Scores without heatmap or bank hash. */
    public ScoreValues(
            float finalScore,
            float holisticScore,
            float patchScore,
            float imageScore,
            float textScore,
            float[] patchMap) {
        this(finalScore, holisticScore, patchScore, imageScore, textScore, patchMap, null, null);
    }
}
