package io.inctrlstream.it;

import io.inctrlstream.job.TestImages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Generated product pictures (a textured plate with a round part, optionally scratched) as PNG,
 * JPEG or raw pixels, encoded by flink-job's {@link TestImages}, which also makes the broken image
 * files the job must survive.
 */
final class Images {
    /** Side of the generated pictures, in pixels: small records, quick to decode. */
    static final int SIDE = 96;

    private Images() {}

    /** A normal part; {@code variant} shifts the texture a little, as between two real parts. */
    static byte[] png(int variant) {
        return TestImages.write(part(variant, false), "png");
    }

    /** A part with a dark scratch across it and a bright spot. */
    static byte[] defectPng(int variant) {
        return TestImages.write(part(variant, true), "png");
    }

    static byte[] jpeg(int variant) {
        return TestImages.write(part(variant, false), "jpg");
    }

    /** Raw RGB8 pixels (row-major, 3 bytes a pixel) of a normal part. */
    static byte[] rgb8(int variant) {
        return TestImages.rgb8(part(variant, false));
    }

    private static BufferedImage part(int variant, boolean defect) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            // Brushed-metal plate: fine diagonal stripes.
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int shade = 120 + ((x + 2 * y + variant) % 7) * 4;
                    image.setRGB(x, y, new Color(shade, shade, shade + 6).getRGB());
                }
            }
            // The part: a ring with a bore.
            g.setColor(new Color(70, 90, 120));
            g.fillOval(SIDE / 4, SIDE / 4, SIDE / 2, SIDE / 2);
            g.setColor(new Color(30, 30, 35));
            g.fillOval(SIDE * 7 / 16, SIDE * 7 / 16, SIDE / 8, SIDE / 8);
            if (defect) {
                g.setColor(new Color(250, 245, 230));
                g.setStroke(new BasicStroke(3f));
                g.drawLine(SIDE / 5, SIDE / 3, SIDE * 4 / 5, SIDE * 2 / 3);
                g.fillOval(SIDE * 5 / 8, SIDE / 5, SIDE / 8, SIDE / 8);
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
