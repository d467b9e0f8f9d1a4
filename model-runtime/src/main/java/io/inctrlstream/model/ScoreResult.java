package io.inctrlstream.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The scores of one query against one shot bank, all in [0, 1], higher meaning more anomalous: the
 * final score (hl + s_p) / 2, its parts hl (holistic), s_p (patch), s_i (image-level residual), s_a
 * (text prior), and the patch residual map M over the N patches (row-major over the patch grid).
 */
public record ScoreResult(
        float finalScore,
        float holisticScore,
        float patchScore,
        float imageScore,
        float textScore,
        float[] patchMap) {
    public ScoreResult {
        patchMap = Objects.requireNonNull(patchMap, "patchMap").clone();
    }

    /** M, a copy. */
    @Override
    public float[] patchMap() {
        return patchMap.clone();
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ScoreResult)) {
            return false;
        }
        ScoreResult that = (ScoreResult) other;
        return Float.compare(finalScore, that.finalScore) == 0
                && Float.compare(holisticScore, that.holisticScore) == 0
                && Float.compare(patchScore, that.patchScore) == 0
                && Float.compare(imageScore, that.imageScore) == 0
                && Float.compare(textScore, that.textScore) == 0
                && Arrays.equals(patchMap, that.patchMap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                finalScore,
                holisticScore,
                patchScore,
                imageScore,
                textScore,
                Arrays.hashCode(patchMap));
    }

    @Override
    public String toString() {
        return "ScoreResult[final="
                + finalScore
                + ", holistic="
                + holisticScore
                + ", patch="
                + patchScore
                + ", image="
                + imageScore
                + ", text="
                + textScore
                + ", patches="
                + patchMap.length
                + "]";
    }
}
