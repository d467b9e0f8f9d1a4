package io.inctrlstream.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the image encoder makes of one preprocessed image: the patch tokens of each tapped layer
 * (row-major [taps, patches, width], class token dropped, raw residual stream), the CLIP image
 * embedding (not normalized) and its adapted form psi(embedding). Immutable; accessors return
 * copies.
 */
public final class ImageFeatures {
    private final int taps;
    private final int patches;
    private final int width;
    private final float[] patchTokens;
    private final float[] embedding;
    private final float[] adapted;

    private ImageFeatures(
            int taps,
            int patches,
            int width,
            float[] patchTokens,
            float[] embedding,
            float[] adapted) {
        this.taps = taps;
        this.patches = patches;
        this.width = width;
        this.patchTokens = patchTokens;
        this.embedding = embedding;
        this.adapted = adapted;
    }

    /**
     * Features from their parts; the arrays are copied.
     *
     * @throws IllegalArgumentException if a dimension is not positive or an array's length does not
     *     match the dimensions
     */
    public static ImageFeatures of(
            int taps,
            int patches,
            int width,
            float[] patchTokens,
            float[] embedding,
            float[] adapted) {
        Objects.requireNonNull(patchTokens, "patchTokens");
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(adapted, "adapted");
        return wrap(taps, patches, width, patchTokens.clone(), embedding.clone(), adapted.clone());
    }

    /** Takes ownership of the arrays (no copies): only for arrays nobody else holds. */
    static ImageFeatures wrap(
            int taps,
            int patches,
            int width,
            float[] patchTokens,
            float[] embedding,
            float[] adapted) {
        if (taps <= 0 || patches <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "taps, patches and width must be positive, found "
                            + taps
                            + ", "
                            + patches
                            + ", "
                            + width);
        }
        long expected = (long) taps * patches * width;
        if (patchTokens.length != expected) {
            throw new IllegalArgumentException(
                    "patchTokens must hold taps*patches*width = "
                            + expected
                            + " values, found "
                            + patchTokens.length);
        }
        if (embedding.length == 0 || embedding.length != adapted.length) {
            throw new IllegalArgumentException(
                    "embedding and adapted must have the same non-zero length, found "
                            + embedding.length
                            + " and "
                            + adapted.length);
        }
        return new ImageFeatures(taps, patches, width, patchTokens, embedding, adapted);
    }

    /** The number of tapped layers. */
    public int taps() {
        return taps;
    }

    /** N, the number of patch tokens per layer. */
    public int patches() {
        return patches;
    }

    /** W, the width of a patch token. */
    public int width() {
        return width;
    }

    /** E, the embedding dimension. */
    public int embedDim() {
        return embedding.length;
    }

    /** The patch tokens, row-major [taps, patches, width], a copy. */
    public float[] patchTokens() {
        return patchTokens.clone();
    }

    /** The CLIP image embedding, a copy. */
    public float[] embedding() {
        return embedding.clone();
    }

    /** psi(embedding), a copy. */
    public float[] adapted() {
        return adapted.clone();
    }

    /** The patch tokens without a copy: callers inside the package must not modify them. */
    float[] patchTokensUnsafe() {
        return patchTokens;
    }

    float[] embeddingUnsafe() {
        return embedding;
    }

    float[] adaptedUnsafe() {
        return adapted;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ImageFeatures)) {
            return false;
        }
        ImageFeatures that = (ImageFeatures) other;
        return taps == that.taps
                && patches == that.patches
                && width == that.width
                && Arrays.equals(patchTokens, that.patchTokens)
                && Arrays.equals(embedding, that.embedding)
                && Arrays.equals(adapted, that.adapted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                taps,
                patches,
                width,
                Arrays.hashCode(patchTokens),
                Arrays.hashCode(embedding),
                Arrays.hashCode(adapted));
    }

    @Override
    public String toString() {
        return "ImageFeatures[taps="
                + taps
                + ", patches="
                + patches
                + ", width="
                + width
                + ", embedDim="
                + embedding.length
                + "]";
    }
}
