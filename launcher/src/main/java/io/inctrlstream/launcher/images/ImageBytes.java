package io.inctrlstream.launcher.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes pictures as PNG or JPEG bytes in memory (no ImageIO disk cache). */
public final class ImageBytes {
    private ImageBytes() {}

    /** The image as a PNG file. */
    public static byte[] png(BufferedImage image) {
        return write(image, "png", -1);
    }

    /**
     * The image as a baseline JPEG file.
     *
     * @param quality 0..1
     * @throws IllegalArgumentException if the quality is out of range
     */
    public static byte[] jpeg(BufferedImage image, float quality) {
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException("quality must be in 0..1, found " + quality);
        }
        return write(image, "jpeg", quality);
    }

    private static byte[] write(BufferedImage image, String format, float quality) {
        Objects.requireNonNull(image, "image");
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality >= 0) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + format + " image in memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
