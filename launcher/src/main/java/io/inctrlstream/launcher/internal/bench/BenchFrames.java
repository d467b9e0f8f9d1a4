package io.inctrlstream.launcher.internal.bench;

import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.ImageBytes;
import io.inctrlstream.launcher.images.Product;
import io.inctrlstream.launcher.images.ProductImageGenerator;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's camera frames, encoded once before anything is timed: per line a few shots and a
 * few distinct frames of its product (good parts), each a 640x480 baseline JPEG (the product
 * picture on a conveyor belt), so that every measured figure pays for decoding a realistic camera
 * frame.
 */
public final class BenchFrames {
    /** Width of every frame and shot. */
    public static final int WIDTH = 640;

    /** Height of every frame and shot. */
    public static final int HEIGHT = 480;

    private static final float JPEG_QUALITY = 0.9f;
    private static final long FRAME_SAMPLES = 10_000;

    private final List<Line> lines;

    private BenchFrames(List<Line> lines) {
        this.lines = List.copyOf(lines);
    }

    /**
     * One production line's images.
     *
     * @param lineId the line, {@code line-1} ...
     * @param category the model category of its product
     * @param shots its normal shots (JPEG)
     * @param frames its distinct frames (JPEG), replayed in turn
     */
    public record Line(String lineId, String category, List<byte[]> shots, List<byte[]> frames) {
        public Line {
            shots = List.copyOf(shots);
            frames = List.copyOf(frames);
        }

        /** Frame n of the line's replay (the distinct frames in turn). */
        public byte[] frame(long n) {
            return frames.get((int) (n % frames.size()));
        }
    }

    /**
     * Generates the images.
     *
     * @throws IllegalArgumentException if a count is below 1
     */
    public static BenchFrames generate(int lines, int shotsPerLine, int framesPerLine, long seed) {
        requirePositive("lines", lines);
        requirePositive("shots per line", shotsPerLine);
        requirePositive("distinct frames per line", framesPerLine);
        List<Line> result = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            Product product = Product.values()[i % Product.values().length];
            ProductImageGenerator camera =
                    ProductImageGenerator.builder()
                            .product(product)
                            .size(HEIGHT)
                            .seed(seed + i)
                            .build();
            List<byte[]> shots = new ArrayList<>();
            for (int s = 0; s < shotsPerLine; s++) {
                shots.add(jpeg(camera, s));
            }
            List<byte[]> frames = new ArrayList<>();
            for (int f = 0; f < framesPerLine; f++) {
                frames.add(jpeg(camera, FRAME_SAMPLES + f));
            }
            result.add(new Line("line-" + (i + 1), product.category(), shots, frames));
        }
        return new BenchFrames(result);
    }

    public List<Line> lines() {
        return lines;
    }

    /** Line n of {@link #lines()}, taking the lines in turn. */
    public Line line(long n) {
        return lines.get((int) (n % lines.size()));
    }

    private static byte[] jpeg(ProductImageGenerator camera, long sample) {
        BufferedImage picture = camera.generate(sample, Defect.NONE).image();
        BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        try {
            g.setColor(new Color(96, 98, 100));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.drawImage(picture, (WIDTH - picture.getWidth()) / 2, 0, null);
        } finally {
            g.dispose();
        }
        return ImageBytes.jpeg(frame, JPEG_QUALITY);
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, found " + value);
        }
    }
}
