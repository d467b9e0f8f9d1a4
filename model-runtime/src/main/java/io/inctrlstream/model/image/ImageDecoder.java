package io.inctrlstream.model.image;

import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ModelException.Reason;
import io.inctrlstream.model.image.internal.JpegIccStripper;
import io.inctrlstream.model.image.internal.PngHeader;
import io.inctrlstream.model.image.internal.RasterPixels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes camera frames (JPEG, PNG, raw RGB8 or GRAY8) into {@link DecodedImage}s, safely: the
 * declared dimensions are read from the header and checked against {@link DecodeLimits} before any
 * pixel memory is allocated (a decompression bomb is refused from its header), and truncated or
 * corrupt data is refused, never returned half decoded: ImageIO warnings (the JPEG decoder's only
 * sign of a premature end of data) count as errors, and the first one ends the decode.
 *
 * <p>Pixels are those Pillow gives (the reference implementation decodes with Pillow): the file's
 * samples without colour management; grayscale replicated to RGB; 16-bit samples reduced to their
 * high byte; 1/2/4-bit grayscale levels scaled to 0..255; palettes looked up. An alpha channel is
 * dropped from the RGB pixels, not composited (Pillow's {@code convert("RGB")}), and remembered so
 * that {@link ImagePreprocessor} resizes such images as Pillow does (premultiplied). JPEG pixels
 * come from the JDK's decoder and may differ from libjpeg-turbo's by a few levels (see the tests).
 *
 * <p>Refused with {@link Reason#IMAGE_UNSUPPORTED}: 16-bit grayscale PNGs (Pillow's mode "I", which
 * the reference pipeline clips to 0..255, so their scores would be meaningless), CMYK/YCCK JPEGs
 * and JPEG processes the JDK decoder lacks (arithmetic coding, 12-bit).
 *
 * <p>EXIF orientation is not applied, as the reference pipeline does not apply it either.
 *
 * <p>Thread-safe: every call uses its own ImageIO reader; ImageIO's disk cache is never used.
 */
public final class ImageDecoder {
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private final DecodeLimits limits;
    private final ImageReaderSpi pngReaders;
    private final ImageReaderSpi jpegReaders;

    /** A decoder with the given limits. */
    public ImageDecoder(DecodeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.pngReaders = readerSpi("png");
        this.jpegReaders = readerSpi("jpeg");
    }

    /** A decoder with {@link DecodeLimits#defaults()}. */
    public ImageDecoder() {
        this(DecodeLimits.defaults());
    }

    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Decodes one frame.
     *
     * @param encoding how {@code data} is encoded
     * @param width the frame's width: required (positive) for raw encodings; for JPEG and PNG, if
     *     positive it must equal the file's, and 0 or negative means "not declared" (each of width
     *     and height is checked on its own)
     * @param height the frame's height, as {@code width}
     * @throws ModelException {@link Reason#IMAGE_CORRUPT} if the data is truncated, corrupt or not
     *     of the declared encoding; {@link Reason#IMAGE_TOO_LARGE} if it exceeds the limits; {@link
     *     Reason#IMAGE_SIZE_MISMATCH} if its size differs from the declared one; {@link
     *     Reason#IMAGE_UNSUPPORTED} for a valid image this decoder cannot reproduce faithfully
     */
    public DecodedImage decode(ImageEncoding encoding, byte[] data, int width, int height)
            throws ModelException {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(data, "data");
        return switch (encoding) {
            case RGB8, GRAY8 -> decodeRaw(encoding, data, width, height);
            case PNG -> decodePng(data, width, height);
            case JPEG -> decodeJpeg(data, width, height);
        };
    }

    private DecodedImage decodeRaw(ImageEncoding encoding, byte[] data, int width, int height)
            throws ModelException {
        if (width <= 0 || height <= 0) {
            throw new ModelException(
                    Reason.IMAGE_SIZE_MISMATCH,
                    encoding
                            + " frame needs a positive width and height, found "
                            + width
                            + "x"
                            + height);
        }
        checkDimensions(encoding.name(), "declares", width, height);
        int channels = encoding == ImageEncoding.RGB8 ? 3 : 1;
        long expected = (long) width * height * channels;
        if (data.length != expected) {
            throw new ModelException(
                    Reason.IMAGE_SIZE_MISMATCH,
                    encoding
                            + " "
                            + width
                            + "x"
                            + height
                            + ": expected "
                            + width
                            + "*"
                            + height
                            + "*"
                            + channels
                            + " = "
                            + expected
                            + " bytes, found "
                            + data.length);
        }
        if (channels == 3) {
            return DecodedImage.own(width, height, data.clone());
        }
        byte[] rgb = new byte[data.length * 3];
        for (int i = 0, o = 0; i < data.length; i++) {
            byte v = data[i];
            rgb[o++] = v;
            rgb[o++] = v;
            rgb[o++] = v;
        }
        return DecodedImage.own(width, height, rgb);
    }

    private DecodedImage decodePng(byte[] data, int width, int height) throws ModelException {
        checkEncodedSize("PNG", data);
        if (!startsWith(data, PngHeader.SIGNATURE)) {
            throw notOfEncoding("PNG", PngHeader.SIGNATURE, data);
        }
        PngHeader header;
        try {
            header = PngHeader.parse(data);
        } catch (IllegalArgumentException e) {
            throw new ModelException(
                    Reason.IMAGE_CORRUPT, "PNG header is corrupt: " + e.getMessage(), e);
        }
        if (header.colorType() == PngHeader.GRAY && header.bitDepth() == 16) {
            throw new ModelException(
                    Reason.IMAGE_UNSUPPORTED,
                    "16-bit grayscale PNG is not supported: the reference pipeline (Pillow mode I)"
                            + " clips its values to 0..255; send it as 8-bit");
        }
        boolean hasAlphaChannel =
                header.colorType() == PngHeader.GRAY_ALPHA || header.colorType() == PngHeader.RGBA;
        RasterPixels.Pixels pixels;
        BufferedImage image;
        ImageReader reader = newReader(pngReaders);
        try {
            image = read("PNG", reader, data, width, height);
            pixels = RasterPixels.read(image, hasAlphaChannel);
        } catch (IOException e) {
            throw corrupt("PNG", e);
        } catch (IllegalArgumentException e) {
            throw new ModelException(
                    Reason.IMAGE_UNSUPPORTED, "PNG is not supported: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean indexed =
                header.colorType() == PngHeader.PALETTE
                        || (header.colorType() == PngHeader.GRAY && header.bitDepth() == 1);
        if (indexed) {
            return DecodedImage.ownIndexed(w, h, pixels.rgb());
        }
        if (pixels.alpha() != null) {
            return DecodedImage.ownWithAlpha(w, h, pixels.rgb(), pixels.alpha());
        }
        return DecodedImage.own(w, h, pixels.rgb());
    }

    private DecodedImage decodeJpeg(byte[] data, int width, int height) throws ModelException {
        checkEncodedSize("JPEG", data);
        if (!startsWith(data, JPEG_SIGNATURE)) {
            throw notOfEncoding("JPEG", JPEG_SIGNATURE, data);
        }
        ImageReader reader = newReader(jpegReaders);
        try {
            BufferedImage image = read("JPEG", reader, JpegIccStripper.strip(data), width, height);
            RasterPixels.Pixels pixels = RasterPixels.read(image, false);
            return DecodedImage.own(image.getWidth(), image.getHeight(), pixels.rgb());
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Unsupported")) {
                throw new ModelException(
                        Reason.IMAGE_UNSUPPORTED,
                        "JPEG is not supported: " + message + " (CMYK/YCCK, arithmetic or 12-bit)",
                        e);
            }
            throw corrupt("JPEG", e);
        } catch (IllegalArgumentException e) {
            throw new ModelException(
                    Reason.IMAGE_UNSUPPORTED, "JPEG is not supported: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Reads the header, checks the declared size against the limits and the frame's declared size,
     * then decodes; the first warning fails the read, there and then: a decoder that goes on past a
     * warning may warn again and again (libjpeg skipping a segment that runs past the end of the
     * data warns every two bytes, 32769 times for a six-byte file).
     */
    private BufferedImage read(
            String format, ImageReader reader, byte[] data, int width, int height)
            throws IOException, ModelException {
        reader.addIIOReadWarningListener(
                (source, warning) -> {
                    throw new DecoderWarning(warning);
                });
        try (ImageInputStream input =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(input, true, true);
            int declaredWidth;
            int declaredHeight;
            try {
                declaredWidth = reader.getWidth(0);
                declaredHeight = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw new ModelException(
                        Reason.IMAGE_CORRUPT,
                        format + " header is corrupt or truncated: " + describe(e),
                        e);
            }
            checkDimensions(format, "declares", declaredWidth, declaredHeight);
            if ((width > 0 && width != declaredWidth) || (height > 0 && height != declaredHeight)) {
                throw new ModelException(
                        Reason.IMAGE_SIZE_MISMATCH,
                        format
                                + " is "
                                + declaredWidth
                                + "x"
                                + declaredHeight
                                + " but the frame declares "
                                + width
                                + "x"
                                + height);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            BufferedImage image;
            try {
                image = reader.read(0, param);
            } catch (DecoderWarning e) {
                throw new IOException(e.getMessage());
            } catch (RuntimeException e) {
                // ImageIO's decoders throw unchecked exceptions on some malformed streams.
                throw new IOException(describe(e), e);
            }
            if (image.getWidth() != declaredWidth || image.getHeight() != declaredHeight) {
                throw new IOException(
                        "decoded "
                                + image.getWidth()
                                + "x"
                                + image.getHeight()
                                + " but the header declares "
                                + declaredWidth
                                + "x"
                                + declaredHeight);
            }
            return image;
        }
    }

    /** Thrown from the readers' warning listener to end the decode at its first warning. */
    private static final class DecoderWarning extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DecoderWarning(String warning) {
            super("decoder warning: " + warning, null, false, false);
        }
    }

    private void checkEncodedSize(String format, byte[] data) throws ModelException {
        if (data.length > limits.maxEncodedBytes()) {
            throw new ModelException(
                    Reason.IMAGE_TOO_LARGE,
                    format
                            + " is "
                            + data.length
                            + " bytes, more than the limit of "
                            + limits.maxEncodedBytes());
        }
        if (data.length == 0) {
            throw new ModelException(Reason.IMAGE_CORRUPT, format + " data is empty");
        }
    }

    private void checkDimensions(String format, String verb, int width, int height)
            throws ModelException {
        if (width > limits.maxWidth() || height > limits.maxHeight()) {
            throw new ModelException(
                    Reason.IMAGE_TOO_LARGE,
                    format
                            + " "
                            + verb
                            + " "
                            + width
                            + "x"
                            + height
                            + ", more than the limit of "
                            + limits.maxWidth()
                            + "x"
                            + limits.maxHeight());
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ModelException(
                    Reason.IMAGE_TOO_LARGE,
                    format
                            + " "
                            + verb
                            + " "
                            + width
                            + "x"
                            + height
                            + " = "
                            + pixels
                            + " pixels, more than the limit of "
                            + limits.maxPixels());
        }
    }

    private static ModelException corrupt(String format, Exception e) {
        return new ModelException(
                Reason.IMAGE_CORRUPT, format + " data is corrupt or truncated: " + describe(e), e);
    }

    private static ModelException notOfEncoding(String format, byte[] signature, byte[] data) {
        String looksLike = "";
        if (startsWith(data, PngHeader.SIGNATURE)) {
            looksLike = " (it looks like a PNG)";
        } else if (startsWith(data, JPEG_SIGNATURE)) {
            looksLike = " (it looks like a JPEG)";
        }
        return new ModelException(
                Reason.IMAGE_CORRUPT,
                "data is not a "
                        + format
                        + ": expected the signature "
                        + hex(signature, signature.length)
                        + ", found "
                        + hex(data, signature.length)
                        + looksLike);
    }

    /** The exception's message and its causes' messages. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (text.length() > 0) {
                text.append(": ");
            }
            String message = t.getMessage();
            if (t != e || message == null) {
                text.append(t.getClass().getSimpleName());
                if (message != null) {
                    text.append(' ').append(message);
                }
            } else {
                text.append(message);
            }
        }
        return text.toString();
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] data, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(count, data.length); i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(String.format("%02X", data[i] & 0xFF));
        }
        return text.length() == 0 ? "nothing" : text.toString();
    }

    private static ImageReader newReader(ImageReaderSpi spi) {
        try {
            return spi.createReaderInstance();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an ImageIO reader from " + spi, e);
        }
    }

    /** The JDK's own reader for the format (preferred, for reproducible pixels) or the first. */
    private static ImageReaderSpi readerSpi(String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        ImageReaderSpi chosen = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            ImageReaderSpi spi = reader.getOriginatingProvider();
            reader.dispose();
            if (spi == null) {
                continue;
            }
            if (chosen == null || spi.getClass().getName().startsWith("com.sun.imageio.")) {
                chosen = spi;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        return chosen;
    }
}
