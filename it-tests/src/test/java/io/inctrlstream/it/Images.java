package io.inctrlstream.it;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Generated product pictures (a textured plate with a round part, optionally scratched) as PNG,
 * JPEG or raw pixels, and the broken image files the job must survive.
 */
final class Images {
    /** Side of the generated pictures, in pixels: small records, quick to decode. */
    static final int SIDE = 96;

    private Images() {}

    /** A normal part; {@code variant} shifts the texture a little, as between two real parts. */
    static byte[] png(int variant) {
        return encode(part(variant, false), "png");
    }

    /** A part with a dark scratch across it and a bright spot. */
    static byte[] defectPng(int variant) {
        return encode(part(variant, true), "png");
    }

    static byte[] jpeg(int variant) {
        return encode(part(variant, false), "jpg");
    }

    /** Raw RGB8 pixels (row-major, 3 bytes a pixel) of a normal part. */
    static byte[] rgb8(int variant) {
        BufferedImage image = part(variant, false);
        byte[] rgb = new byte[SIDE * SIDE * 3];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int pixel = image.getRGB(x, y);
                int i = (y * SIDE + x) * 3;
                rgb[i] = (byte) (pixel >> 16);
                rgb[i + 1] = (byte) (pixel >> 8);
                rgb[i + 2] = (byte) pixel;
            }
        }
        return rgb;
    }

    /** A JPEG cut off in the middle of its entropy-coded data. */
    static byte[] corruptJpeg() {
        byte[] jpeg = encode(part(0, true), "jpg");
        return Arrays.copyOf(jpeg, jpeg.length / 2);
    }

    /** A PNG cut off inside its image data. */
    static byte[] truncatedPng() {
        byte[] png = encode(part(0, true), "png");
        return Arrays.copyOf(png, png.length * 2 / 3);
    }

    /**
     * A well-formed PNG of a few hundred bytes whose header declares {@code side} x {@code side}
     * pixels: a decompression bomb for a decoder that believed it.
     */
    static byte[] pngHeaderBomb(int side) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        // IHDR: width, height, bit depth 8, colour type 2 (RGB), compression, filter, interlace.
        ByteBuffer header = ByteBuffer.allocate(13).putInt(side).putInt(side);
        header.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", header.array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[4096]);
        deflater.finish();
        byte[] compressed = new byte[512];
        int length = deflater.deflate(compressed);
        deflater.end();
        chunk(out, "IDAT", Arrays.copyOf(compressed, length));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
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

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
