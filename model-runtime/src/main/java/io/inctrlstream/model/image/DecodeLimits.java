package io.inctrlstream.model.image;

/**
 * Budgets that protect the decoder from hostile or broken frames: an image whose header declares
 * more pixels, a larger side or more encoded bytes than allowed is refused before any pixel memory
 * is allocated. Immutable; build with {@link #builder()}.
 */
public final class DecodeLimits {
    /** Default pixel budget: 40 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    /** Default budget for the encoded size of a JPEG or PNG: 32 MiB. */
    public static final int DEFAULT_MAX_ENCODED_BYTES = 32 * 1024 * 1024;

    /** Default largest width or height: 16384. */
    public static final int DEFAULT_MAX_SIDE = 16384;

    private static final DecodeLimits DEFAULTS = builder().build();

    private final long maxPixels;
    private final int maxEncodedBytes;
    private final int maxWidth;
    private final int maxHeight;

    private DecodeLimits(Builder builder) {
        this.maxPixels = builder.maxPixels;
        this.maxEncodedBytes = builder.maxEncodedBytes;
        this.maxWidth = builder.maxWidth;
        this.maxHeight = builder.maxHeight;
    }

    /** The default limits. */
    public static DecodeLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Largest width * height accepted. */
    public long maxPixels() {
        return maxPixels;
    }

    /** Largest JPEG or PNG file accepted, in bytes (raw frames are bounded by the pixels). */
    public int maxEncodedBytes() {
        return maxEncodedBytes;
    }

    public int maxWidth() {
        return maxWidth;
    }

    public int maxHeight() {
        return maxHeight;
    }

    @Override
    public String toString() {
        return "DecodeLimits{maxPixels="
                + maxPixels
                + ", maxEncodedBytes="
                + maxEncodedBytes
                + ", maxWidth="
                + maxWidth
                + ", maxHeight="
                + maxHeight
                + "}";
    }

    /** Builder of {@link DecodeLimits}; every value must be positive. */
    public static final class Builder {
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private int maxEncodedBytes = DEFAULT_MAX_ENCODED_BYTES;
        private int maxWidth = DEFAULT_MAX_SIDE;
        private int maxHeight = DEFAULT_MAX_SIDE;

        private Builder() {}

        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        public Builder maxEncodedBytes(int maxEncodedBytes) {
            this.maxEncodedBytes = maxEncodedBytes;
            return this;
        }

        public Builder maxWidth(int maxWidth) {
            this.maxWidth = maxWidth;
            return this;
        }

        public Builder maxHeight(int maxHeight) {
            this.maxHeight = maxHeight;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a limit is not positive
         */
        public DecodeLimits build() {
            requirePositive("maxPixels", maxPixels);
            requirePositive("maxEncodedBytes", maxEncodedBytes);
            requirePositive("maxWidth", maxWidth);
            requirePositive("maxHeight", maxHeight);
            return new DecodeLimits(this);
        }

        private static void requirePositive(String name, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, found " + value);
            }
        }
    }
}
