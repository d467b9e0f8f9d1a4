package io.inctrlstream.model.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the model expects of its input pixels: the square input size (shorter side resized to it
 * with Pillow's antialiased BICUBIC, then centre-cropped) and the per-channel mean and standard
 * deviation used to normalize RGB values scaled to [0, 1]. Immutable; build with {@link #builder()}
 * or take the bundle manifest's values with {@link #fromManifest}.
 */
public final class PreprocessSpec {
    /** The only interpolation this runtime implements, as the manifest names it. */
    public static final String BICUBIC_ANTIALIAS = "bicubic-antialias";

    private static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

    private final int imageSize;
    private final double[] mean;
    private final double[] std;

    private PreprocessSpec(Builder builder) {
        this.imageSize = builder.imageSize;
        this.mean = builder.mean.clone();
        this.std = builder.std.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** InCTRL's preprocessing: 240 pixels, OpenAI CLIP's mean and std. */
    public static PreprocessSpec inctrl() {
        return builder().imageSize(240).mean(CLIP_MEAN).std(CLIP_STD).build();
    }

    /**
     * The spec of a bundle manifest's {@code preprocess} section.
     *
     * @throws IllegalArgumentException if the interpolation is not {@value #BICUBIC_ANTIALIAS} or a
     *     value is invalid
     */
    public static PreprocessSpec fromManifest(
            int imageSize, String interpolation, double[] mean, double[] std) {
        if (!BICUBIC_ANTIALIAS.equals(interpolation)) {
            throw new IllegalArgumentException(
                    "interpolation must be '"
                            + BICUBIC_ANTIALIAS
                            + "', found '"
                            + interpolation
                            + "'");
        }
        return builder().imageSize(imageSize).mean(mean).std(std).build();
    }

    /** Side of the square model input, in pixels. */
    public int imageSize() {
        return imageSize;
    }

    /** Per-channel (R, G, B) mean, a copy. */
    public double[] mean() {
        return mean.clone();
    }

    /** Per-channel (R, G, B) standard deviation, a copy. */
    public double[] std() {
        return std.clone();
    }

    /** Number of floats of one preprocessed image: 3 * imageSize * imageSize. */
    public int tensorLength() {
        return 3 * imageSize * imageSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessSpec other
                && imageSize == other.imageSize
                && Arrays.equals(mean, other.mean)
                && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(imageSize, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    @Override
    public String toString() {
        return "PreprocessSpec{imageSize="
                + imageSize
                + ", mean="
                + Arrays.toString(mean)
                + ", std="
                + Arrays.toString(std)
                + "}";
    }

    /** Builder of {@link PreprocessSpec}; all three values are required. */
    public static final class Builder {
        private int imageSize;
        private double[] mean;
        private double[] std;

        private Builder() {}

        public Builder imageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        public Builder mean(double... mean) {
            this.mean = mean == null ? null : mean.clone();
            return this;
        }

        public Builder std(double... std) {
            this.std = std == null ? null : std.clone();
            return this;
        }

        /**
         * @throws IllegalArgumentException if the size is not in 1..4096, or mean/std are not three
         *     finite values (std positive)
         */
        public PreprocessSpec build() {
            if (imageSize < 1 || imageSize > 4096) {
                throw new IllegalArgumentException(
                        "imageSize must be in 1..4096, found " + imageSize);
            }
            checkTriple("mean", mean, false);
            checkTriple("std", std, true);
            return new PreprocessSpec(this);
        }

        private static void checkTriple(String name, double[] values, boolean positive) {
            if (values == null || values.length != 3) {
                throw new IllegalArgumentException(
                        name
                                + " must have 3 values (R, G, B), found "
                                + (values == null ? "none" : Arrays.toString(values)));
            }
            for (double v : values) {
                if (!Double.isFinite(v) || (positive && !(v > 0))) {
                    throw new IllegalArgumentException(
                            name
                                    + " values must be finite"
                                    + (positive ? " and positive" : "")
                                    + ", found "
                                    + Arrays.toString(values));
                }
            }
        }
    }
}
