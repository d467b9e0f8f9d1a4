package io.inctrlstream.model.internal;

/** Euclidean norms of float vectors, accumulated in double (shared by shot banks and prompts). */
public final class Vectors {
    private Vectors() {}

    /** The Euclidean norm of {@code values[offset, offset+length)}. */
    public static float norm(float[] values, int offset, int length) {
        double squares = 0;
        for (int i = offset; i < offset + length; i++) {
            squares += (double) values[i] * values[i];
        }
        return (float) Math.sqrt(squares);
    }

    /** {@code values} divided by its norm, as a new array. */
    public static float[] normalized(float[] values) {
        float norm = norm(values, 0, values.length);
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i] / norm;
        }
        return result;
    }
}
