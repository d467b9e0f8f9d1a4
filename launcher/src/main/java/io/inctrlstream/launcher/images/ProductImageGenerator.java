package io.inctrlstream.launcher.images;

import io.inctrlstream.launcher.images.internal.CircuitBoardDesign;
import io.inctrlstream.launcher.images.internal.MetalPartDesign;
import io.inctrlstream.launcher.images.internal.Part;
import io.inctrlstream.launcher.images.internal.PrintedLabelDesign;
import io.inctrlstream.launcher.images.internal.ProductDesign;
import io.inctrlstream.launcher.images.internal.SeedMixer;
import io.inctrlstream.launcher.images.internal.SurfaceDefects;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Generates camera pictures of one product, deterministically: the product's look comes from the
 * design seed, and every sample (placement jitter, lighting, sensor noise, where a defect goes)
 * from the design seed and the sample index. So {@code generate(i, d)} is the same picture on every
 * call, and {@code generate(i, SCRATCH)} differs from {@code generate(i, NONE)} only inside the
 * returned defect region.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ProductImageGenerator {
    private static final int NOISE_STREAM = 1;
    private static final int PLACEMENT_STREAM = 2;
    private static final int DEFECT_STREAM = 3;

    /** Pixels around a changed shape that antialiasing may touch. */
    private static final int MARGIN = 2;

    private final Product product;
    private final int size;
    private final long seed;
    private final double noiseSigma;
    private final int jitter;
    private final double lighting;
    private final ProductDesign design;

    private ProductImageGenerator(Builder builder) {
        this.product = builder.product;
        this.size = builder.size;
        this.seed = builder.seed;
        this.noiseSigma = builder.noiseSigma;
        this.jitter = builder.jitter;
        this.lighting = builder.lighting;
        Random designRandom = new Random(SeedMixer.mix(seed, 0, 0));
        this.design =
                switch (product) {
                    case METAL_PART -> new MetalPartDesign(designRandom);
                    case PRINTED_LABEL -> new PrintedLabelDesign(designRandom);
                    case CIRCUIT_BOARD -> new CircuitBoardDesign(designRandom);
                };
    }

    public static Builder builder() {
        return new Builder();
    }

    public Product product() {
        return product;
    }

    /** Width and height of the pictures, in pixels. */
    public int size() {
        return size;
    }

    /**
     * The picture of sample {@code sample} with the given defect.
     *
     * @throws IllegalArgumentException if {@code sample} is negative
     */
    public GeneratedImage generate(long sample, Defect defect) {
        Objects.requireNonNull(defect, "defect");
        if (sample < 0) {
            throw new IllegalArgumentException("sample must be >= 0, found " + sample);
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Rectangle2D changed;
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.scale(size / ProductDesign.SIZE, size / ProductDesign.SIZE);
            design.paintBackground(g);

            Random placement = new Random(SeedMixer.mix(seed, sample, PLACEMENT_STREAM));
            int dx = jitter == 0 ? 0 : placement.nextInt(2 * jitter + 1) - jitter;
            int dy = jitter == 0 ? 0 : placement.nextInt(2 * jitter + 1) - jitter;
            g.translate(dx, dy);
            AffineTransform toPixels = g.getTransform();
            design.paintBody(g);

            Random defects = new Random(SeedMixer.mix(seed, sample, DEFECT_STREAM));
            changed = paintParts(g, defect, defects);
            if (defect == Defect.SCRATCH) {
                changed =
                        SurfaceDefects.scratch(g, design.surface(), design.scratchColor(), defects);
            } else if (defect == Defect.SPOT) {
                changed = SurfaceDefects.spot(g, design.surface(), design.spotColor(), defects);
            }
            changed =
                    changed == null ? null : toPixels.createTransformedShape(changed).getBounds2D();
        } finally {
            g.dispose();
        }
        addLightingAndNoise(image, new Random(SeedMixer.mix(seed, sample, NOISE_STREAM)));
        return new GeneratedImage(image, product, defect, Optional.ofNullable(region(changed)));
    }

    /** Paints the parts (one missing or shifted for those defects); returns the changed area. */
    private Rectangle2D paintParts(Graphics2D g, Defect defect, Random defects) {
        List<Part> parts = design.parts();
        int faulty =
                defect == Defect.MISSING_PART || defect == Defect.SHIFTED_PART
                        ? defects.nextInt(parts.size())
                        : -1;
        double shiftX = 0;
        double shiftY = 0;
        if (defect == Defect.SHIFTED_PART) {
            double distance = 7 + defects.nextDouble() * 5;
            double angle = defects.nextDouble() * 2 * Math.PI;
            shiftX = distance * Math.cos(angle);
            shiftY = distance * Math.sin(angle);
        }
        Rectangle2D changed = null;
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            if (i != faulty) {
                part.painter().accept(g);
            } else if (defect == Defect.SHIFTED_PART) {
                AffineTransform before = g.getTransform();
                g.translate(shiftX, shiftY);
                part.painter().accept(g);
                g.setTransform(before);
                Rectangle2D moved = part.bounds().getBounds2D();
                moved.setRect(
                        moved.getX() + shiftX,
                        moved.getY() + shiftY,
                        moved.getWidth(),
                        moved.getHeight());
                changed = part.bounds().createUnion(moved);
            } else {
                changed = part.bounds().getBounds2D();
            }
        }
        return changed;
    }

    private Rectangle region(Rectangle2D changed) {
        if (changed == null) {
            return null;
        }
        int x0 = Math.max(0, (int) Math.floor(changed.getMinX()) - MARGIN);
        int y0 = Math.max(0, (int) Math.floor(changed.getMinY()) - MARGIN);
        int x1 = Math.min(size, (int) Math.ceil(changed.getMaxX()) + MARGIN);
        int y1 = Math.min(size, (int) Math.ceil(changed.getMaxY()) + MARGIN);
        return new Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    /** Global lighting gain and Gaussian sensor noise, drawn the same way for every defect. */
    private void addLightingAndNoise(BufferedImage image, Random noise) {
        double gain = 1 + (noise.nextDouble() * 2 - 1) * lighting;
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            int rgb = pixels[i];
            int r = channel((rgb >> 16) & 0xFF, gain, noise);
            int gr = channel((rgb >> 8) & 0xFF, gain, noise);
            int b = channel(rgb & 0xFF, gain, noise);
            pixels[i] = (r << 16) | (gr << 8) | b;
        }
    }

    private int channel(int value, double gain, Random noise) {
        double v = value * gain + noise.nextGaussian() * noiseSigma;
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Builds a {@link ProductImageGenerator}; validated in {@link #build()}. */
    public static final class Builder {
        private Product product = Product.METAL_PART;
        private int size = 256;
        private long seed = 1;
        private double noiseSigma = 2.5;
        private int jitter = 2;
        private double lighting = 0.04;

        private Builder() {}

        public Builder product(Product product) {
            this.product = Objects.requireNonNull(product, "product");
            return this;
        }

        /** Width and height in pixels, 64..2048 (default 256). */
        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /** The design seed: the same seed gives the same product. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Standard deviation of the sensor noise in 8-bit levels, 0..32 (default 2.5). */
        public Builder noiseSigma(double noiseSigma) {
            this.noiseSigma = noiseSigma;
            return this;
        }

        /** Largest placement offset in design pixels, 0..8 (default 2). */
        public Builder jitter(int jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Largest relative change of the lighting between samples, 0..0.5 (default 0.04). */
        public Builder lighting(double lighting) {
            this.lighting = lighting;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a setting is out of range
         */
        public ProductImageGenerator build() {
            if (size < 64 || size > 2048) {
                throw new IllegalArgumentException("size must be in 64..2048, found " + size);
            }
            if (!(noiseSigma >= 0 && noiseSigma <= 32)) {
                throw new IllegalArgumentException(
                        "noiseSigma must be in 0..32, found " + noiseSigma);
            }
            if (jitter < 0 || jitter > 8) {
                throw new IllegalArgumentException("jitter must be in 0..8, found " + jitter);
            }
            if (!(lighting >= 0 && lighting <= 0.5)) {
                throw new IllegalArgumentException("lighting must be in 0..0.5, found " + lighting);
            }
            return new ProductImageGenerator(this);
        }
    }
}
