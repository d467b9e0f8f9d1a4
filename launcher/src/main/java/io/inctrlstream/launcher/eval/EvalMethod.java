package io.inctrlstream.launcher.eval;

import io.inctrlstream.model.ScoreResult;

/**
 * What {@code inctrl eval} scores images with: InCTRL's final score, each of its components alone,
 * and the patch-kNN baseline on the same model's patch tokens.
 */
public enum EvalMethod {
    /** InCTRL's final score (hl + s_p) / 2. */
    INCTRL("inctrl"),
    /** The holistic head's score hl alone. */
    HOLISTIC("holistic"),
    /** The patch residual score s_p alone (max of the patch residual map). */
    PATCH("s_p"),
    /** The image-level residual head's score s_i alone. */
    IMAGE("s_i"),
    /** The text prior s_a alone. */
    TEXT("s_a"),
    /**
     * The baseline: for each query patch token the Euclidean distance to its nearest shot patch
     * token (raw tokens, each tapped layer, averaged over the layers), the image's score the
     * largest over its patches (PatchCore/SPADE-style, no learned parts).
     */
    PATCH_KNN("patch-knn");

    private final String id;

    EvalMethod(String id) {
        this.id = id;
    }

    /** The method's name in tables and JSON: {@code inctrl}, {@code s_p}, {@code patch-knn} ... */
    public String id() {
        return id;
    }

    /** Whether the score is one of the model's outputs (all but the baseline). */
    public boolean fromModel() {
        return this != PATCH_KNN;
    }

    /**
     * The method's score in a model result.
     *
     * @throws IllegalStateException for {@link #PATCH_KNN}, which the model does not compute
     */
    public double of(ScoreResult result) {
        return switch (this) {
            case INCTRL -> result.finalScore();
            case HOLISTIC -> result.holisticScore();
            case PATCH -> result.patchScore();
            case IMAGE -> result.imageScore();
            case TEXT -> result.textScore();
            case PATCH_KNN ->
                    throw new IllegalStateException(
                            "patch-knn is not a model output: it is computed from the patch tokens");
        };
    }
}
