package io.inctrlstream.model.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The seed corpus of {@link ImageDecoderFuzzTest}: small valid frames of every kind the decoder
 * reads (raw RGB8 and GRAY8; PNG of every colour type and bit depth, palette with transparency,
 * interlaced; JPEG colour, grey, progressive and with an ICC profile), each declared with its size
 * and JPEG and PNG also undeclared. Run {@link #main} to write it again (see {@code
 * docs/fuzzing.md}).
 */
public final class ImageDecoderFuzzSeeds {
    /** Where Jazzer looks for the seeds of {@code decodesWithinTheLimitsOrRefuses}. */
    static final String DIRECTORY =
            "src/test/resources/io/inctrlstream/model/image/ImageDecoderFuzzTestInputs"
                    + "/decodesWithinTheLimitsOrRefuses";

    /** The size of every seed image. */
    static final int WIDTH = 12;

    static final int HEIGHT = 8;

    private ImageDecoderFuzzSeeds() {}

    /** The seeds by file name; each decodes within {@link ImageDecoderFuzzTest#LIMITS}. */
    static Map<String, FuzzedFrame> seeds() {
        Map<String, FuzzedFrame> seeds = new LinkedHashMap<>();
        BufferedImage picture = picture(WIDTH, HEIGHT);
        seeds.put("valid-rgb8", raw(ImageEncoding.RGB8, picture));
        seeds.put("valid-gray8", raw(ImageEncoding.GRAY8, picture));

        encoded(seeds, ImageEncoding.PNG, "rgb", pngSamples(8, PngKind.RGB));
        encoded(seeds, ImageEncoding.PNG, "rgb16", pngSamples(16, PngKind.RGB));
        encoded(seeds, ImageEncoding.PNG, "rgba", pngSamples(8, PngKind.RGBA));
        encoded(seeds, ImageEncoding.PNG, "rgba16", pngSamples(16, PngKind.RGBA));
        encoded(seeds, ImageEncoding.PNG, "gray", pngSamples(8, PngKind.GRAY));
        encoded(seeds, ImageEncoding.PNG, "gray1", pngSamples(1, PngKind.GRAY));
        encoded(seeds, ImageEncoding.PNG, "gray2", pngSamples(2, PngKind.GRAY));
        encoded(seeds, ImageEncoding.PNG, "gray4", pngSamples(4, PngKind.GRAY));
        encoded(seeds, ImageEncoding.PNG, "gray-alpha", pngSamples(8, PngKind.GRAY_ALPHA));
        encoded(seeds, ImageEncoding.PNG, "gray-alpha16", pngSamples(16, PngKind.GRAY_ALPHA));
        encoded(seeds, ImageEncoding.PNG, "palette-transparent", write(palette(), "png", false));
        encoded(seeds, ImageEncoding.PNG, "interlaced", write(picture, "png", true));

        byte[] jpeg = write(picture, "jpeg", false);
        encoded(seeds, ImageEncoding.JPEG, "colour", jpeg);
        encoded(seeds, ImageEncoding.JPEG, "gray", write(gray(picture), "jpeg", false));
        encoded(seeds, ImageEncoding.JPEG, "progressive", write(picture, "jpeg", true));
        byte[] icc = ImageDecoderTest.iccSegment(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB));
        encoded(seeds, ImageEncoding.JPEG, "icc", ImageDecoderTest.insertAfterApp0(jpeg, icc));
        return seeds;
    }

    private enum PngKind {
        GRAY(0, 1),
        RGB(2, 3),
        GRAY_ALPHA(4, 2),
        RGBA(6, 4);

        final int colourType;
        final int samples;

        PngKind(int colourType, int samples) {
            this.colourType = colourType;
            this.samples = samples;
        }
    }

    /** A PNG of a gradient, written sample by sample so that every bit depth can be had. */
    private static byte[] pngSamples(int bitDepth, PngKind kind) {
        int bitsPerPixel = bitDepth * kind.samples;
        int rowBytes = (WIDTH * bitsPerPixel + 7) / 8;
        byte[] raw = new byte[HEIGHT * (1 + rowBytes)];
        int maxSample = (1 << bitDepth) - 1;
        for (int y = 0; y < HEIGHT; y++) {
            int row = y * (1 + rowBytes);
            raw[row] = (byte) (y % 5); // each of the five row filters
            for (int x = 0; x < WIDTH; x++) {
                for (int s = 0; s < kind.samples; s++) {
                    int sample = ((x + 1) * (y + 2) * (s + 3) * 37) & maxSample;
                    putSample(raw, row + 1, (x * kind.samples + s) * bitDepth, bitDepth, sample);
                }
            }
        }
        return ImageDecoderTest.png(WIDTH, HEIGHT, bitDepth, kind.colourType, raw);
    }

    private static void putSample(byte[] raw, int rowStart, int bitOffset, int bits, int sample) {
        if (bits == 16) {
            raw[rowStart + bitOffset / 8] = (byte) (sample >> 8);
            raw[rowStart + bitOffset / 8 + 1] = (byte) sample;
            return;
        }
        int index = rowStart + bitOffset / 8;
        int shift = 8 - bits - bitOffset % 8;
        raw[index] = (byte) (raw[index] | sample << shift);
    }

    private static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 21) << 16 | (y * 31) << 8 | ((x + y) % 2) * 200);
            }
        }
        return image;
    }

    private static BufferedImage gray(BufferedImage picture) {
        BufferedImage gray =
                new BufferedImage(
                        picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        gray.getGraphics().drawImage(picture, 0, 0, null);
        return gray;
    }

    /** A four-colour palette image whose first colour is transparent (a tRNS chunk). */
    private static BufferedImage palette() {
        byte[] red = {0, (byte) 255, 0, 0};
        byte[] green = {0, 0, (byte) 255, 0};
        byte[] blue = {0, 0, 0, (byte) 255};
        IndexColorModel colours = new IndexColorModel(2, 4, red, green, blue, 0);
        BufferedImage image =
                new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_BINARY, colours);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                image.getRaster().setSample(x, y, 0, (x + y) % 4);
            }
        }
        return image;
    }

    private static FuzzedFrame raw(ImageEncoding encoding, BufferedImage picture) {
        int width = picture.getWidth();
        int height = picture.getHeight();
        boolean rgb = encoding == ImageEncoding.RGB8;
        byte[] data = new byte[width * height * (rgb ? 3 : 1)];
        int i = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int pixel = picture.getRGB(x, y);
                if (rgb) {
                    data[i++] = (byte) (pixel >> 16);
                    data[i++] = (byte) (pixel >> 8);
                }
                data[i++] = (byte) pixel;
            }
        }
        return new FuzzedFrame(encoding, width, height, data);
    }

    /** The file declared with its size, and undeclared (0x0). */
    private static void encoded(
            Map<String, FuzzedFrame> seeds, ImageEncoding encoding, String name, byte[] data) {
        String prefix = "valid-" + encoding.name().toLowerCase() + "-" + name;
        seeds.put(prefix, new FuzzedFrame(encoding, WIDTH, HEIGHT, data));
        seeds.put(prefix + "-undeclared", new FuzzedFrame(encoding, 0, 0, data));
    }

    private static byte[] write(BufferedImage image, String format, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the seeds into {@link #DIRECTORY} under the module directory given as the only
     * argument (default: the working directory).
     */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : ".").resolve(DIRECTORY);
        Files.createDirectories(directory);
        Map<String, FuzzedFrame> seeds = seeds();
        for (Map.Entry<String, FuzzedFrame> seed : seeds.entrySet()) {
            Files.write(directory.resolve(seed.getKey()), seed.getValue().toInput());
        }
        System.out.println("wrote " + seeds.size() + " seeds to " + directory);
    }
}
