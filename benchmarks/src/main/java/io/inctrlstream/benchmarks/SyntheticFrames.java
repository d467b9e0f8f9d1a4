package io.inctrlstream.benchmarks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Deterministic synthetic camera frames for the benchmarks: a textured part on a gradient
 * background, so that JPEG coding and resampling do realistic work (a flat image would not).
 */
final class SyntheticFrames {
    private SyntheticFrames() {}

    /** An RGB frame of the given size; {@code seed} fixes its content. */
    static BufferedImage frame(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(24)) & 0xff;
                int g = (y * 255 / height + random.nextInt(24)) & 0xff;
                int b = ((x + y) * 127 / (width + height) + random.nextInt(24)) & 0xff;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(180 + random.nextInt(40), 150, 90));
            g.fillOval(width / 5, height / 6, width * 3 / 5, height * 2 / 3);
            g.setColor(Color.DARK_GRAY);
            for (int i = 0; i < 12; i++) {
                g.drawLine(
                        random.nextInt(width),
                        random.nextInt(height),
                        random.nextInt(width),
                        random.nextInt(height));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The frame encoded as a baseline JPEG (ImageIO's default quality). */
    static byte[] jpeg(int width, int height, long seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(frame(width, height, seed), "jpeg", out)) {
                throw new IllegalStateException("no JPEG writer available in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
