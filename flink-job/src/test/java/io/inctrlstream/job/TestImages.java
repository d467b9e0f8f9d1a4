package io.inctrlstream.job;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Test images: valid JPEG and PNG files, raw pixels, and the broken kinds the job must survive. */
public final class TestImages {
    private TestImages() {}

    /** A PNG of a grey checkered square, with a red square in the middle when {@code defect}. */
    public static byte[] png(int width, int height, int grey, boolean defect) {
        return write(picture(width, height, grey, defect), "png");
    }

    /**
     * PNGs of the good picture ({@link #png} with {@code defect} false) with different kinds of
     * defect: a red square, a square of noise, a bright scratch, a dark hole. A model with random
     * weights (the tiny bundle) need not score every kind above the good picture: tests pick.
     */
    public static List<byte[]> defectCandidates(int width, int height, int grey) {
        List<byte[]> candidates = new ArrayList<>();
        candidates.add(png(width, height, grey, true));
        Random random = new Random(7);
        BufferedImage noise = picture(width, height, grey, false);
        BufferedImage scratch = picture(width, height, grey, false);
        BufferedImage hole = picture(width, height, grey, false);
        for (int y = height / 3; y < height * 2 / 3; y++) {
            for (int x = width / 3; x < width * 2 / 3; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
                hole.setRGB(x, y, 0);
            }
        }
        for (int x = 0; x < width; x++) {
            for (int y = height / 2 - 2; y < height / 2 + 2; y++) {
                scratch.setRGB(x, y, 0xFFFFFF);
            }
        }
        candidates.add(write(noise, "png"));
        candidates.add(write(scratch, "png"));
        candidates.add(write(hole, "png"));
        return candidates;
    }

    /** A JPEG of the same picture as {@link #png}. */
    public static byte[] jpeg(int width, int height, int grey, boolean defect) {
        return write(picture(width, height, grey, defect), "jpg");
    }

    /** Raw RGB8 pixels of the same picture. */
    public static byte[] rgb8(int width, int height, int grey, boolean defect) {
        return rgb8(picture(width, height, grey, defect));
    }

    /** Raw RGB8 pixels (row-major, 3 bytes a pixel) of {@code image}. */
    public static byte[] rgb8(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int pixel = image.getRGB(x, y);
                int i = (y * width + x) * 3;
                rgb[i] = (byte) (pixel >> 16);
                rgb[i + 1] = (byte) (pixel >> 8);
                rgb[i + 2] = (byte) pixel;
            }
        }
        return rgb;
    }

    /** A JPEG whose entropy-coded data is cut off in the middle. */
    public static byte[] corruptJpeg(int width, int height) {
        byte[] jpeg = jpeg(width, height, 90, true);
        return Arrays.copyOf(jpeg, jpeg.length / 2);
    }

    /** A PNG cut off in its image data. */
    public static byte[] truncatedPng(int width, int height) {
        byte[] png = png(width, height, 90, true);
        return Arrays.copyOf(png, png.length * 2 / 3);
    }

    /**
     * A small, well-formed PNG whose header declares {@code width} x {@code height} pixels (a
     * decompression bomb, if anyone believed it): the data is a few bytes of zeros.
     */
    public static byte[] pngHeaderBomb(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13);
        header.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0);
        header.put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", header.array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1024]);
        deflater.finish();
        byte[] compressed = new byte[256];
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

    private static BufferedImage picture(int width, int height, int grey, boolean defect) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int base = (grey << 16) | (grey << 8) | grey;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // A mild texture, so that the picture is not flat.
                int shade = ((x / 8 + y / 8) % 2) * 0x080808;
                image.setRGB(x, y, base + shade);
            }
        }
        if (defect) {
            for (int y = height / 3; y < height * 2 / 3; y++) {
                for (int x = width / 3; x < width * 2 / 3; x++) {
                    image.setRGB(x, y, 0xFF0000);
                }
            }
        }
        return image;
    }

    /** {@code image} encoded by ImageIO in {@code format} ("png", "jpg"). */
    public static byte[] write(BufferedImage image, String format) {
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
