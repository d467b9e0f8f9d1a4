package io.inctrlstream.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The text prior of one category: the normal and anomalous prototypes F_n and F_a (each the
 * normalized mean of its prompts' normalized text features, unit length). The scorer compares a
 * query's normalized embedding with both.
 */
public final class TextPrototypes {
    private final String category;
    private final float[] normal;
    private final float[] anomalous;

    private TextPrototypes(String category, float[] normal, float[] anomalous) {
        this.category = category;
        this.normal = normal;
        this.anomalous = anomalous;
    }

    /**
     * Prototypes for a category; the arrays are copied.
     *
     * @throws IllegalArgumentException if the category is blank or the vectors are empty or of
     *     different lengths
     */
    public static TextPrototypes of(String category, float[] normal, float[] anomalous) {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(normal, "normal");
        Objects.requireNonNull(anomalous, "anomalous");
        if (category.isBlank()) {
            throw new IllegalArgumentException("category must not be blank");
        }
        if (normal.length == 0 || normal.length != anomalous.length) {
            throw new IllegalArgumentException(
                    "normal and anomalous prototypes must have the same non-zero length, found "
                            + normal.length
                            + " and "
                            + anomalous.length);
        }
        return new TextPrototypes(category, normal.clone(), anomalous.clone());
    }

    public String category() {
        return category;
    }

    /** The embedding dimension E. */
    public int embedDim() {
        return normal.length;
    }

    /** F_n, a copy. */
    public float[] normal() {
        return normal.clone();
    }

    /** F_a, a copy. */
    public float[] anomalous() {
        return anomalous.clone();
    }

    /** Copies [F_n, F_a] (row-major [2, E]) into {@code destination} at {@code offset}. */
    public void copyInto(float[] destination, int offset) {
        System.arraycopy(normal, 0, destination, offset, normal.length);
        System.arraycopy(anomalous, 0, destination, offset + normal.length, anomalous.length);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof TextPrototypes)) {
            return false;
        }
        TextPrototypes that = (TextPrototypes) other;
        return category.equals(that.category)
                && Arrays.equals(normal, that.normal)
                && Arrays.equals(anomalous, that.anomalous);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, Arrays.hashCode(normal), Arrays.hashCode(anomalous));
    }

    @Override
    public String toString() {
        return "TextPrototypes[" + category + ", E=" + normal.length + "]";
    }
}
