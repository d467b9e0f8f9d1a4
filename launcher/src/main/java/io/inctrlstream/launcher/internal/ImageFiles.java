package io.inctrlstream.launcher.internal;

import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files given on the command line: folders expand to their JPEG and PNG files (sorted by
 * name, not recursive), and each file becomes a {@link FrameImage} whose encoding comes from its
 * extension and whose size from its header.
 */
public final class ImageFiles {
    private ImageFiles() {}

    /**
     * The image files named by {@code paths}, folders expanded.
     *
     * @throws IllegalArgumentException if a path does not exist, a file is not a .png, .jpg or
     *     .jpeg, or nothing is found
     */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> entries = Files.list(path)) {
                    entries.filter(Files::isRegularFile)
                            .filter(file -> encodingOf(file) != null)
                            .filter(file -> !file.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                if (encodingOf(path) == null) {
                    throw new IllegalArgumentException(
                            "expected a .png, .jpg or .jpeg file or a folder, found " + path);
                }
                files.add(path);
            } else {
                throw new IllegalArgumentException("no such file or folder: " + path);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .png, .jpg or .jpeg files found in " + paths);
        }
        return files;
    }

    /** The encoding a file's extension names, or null. */
    public static ImageEncoding encodingOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return ImageEncoding.PNG;
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return ImageEncoding.JPEG;
        }
        return null;
    }

    /**
     * The file as a frame image.
     *
     * @throws IllegalArgumentException if the file is not a readable image of its extension
     */
    public static FrameImage read(Path file) throws IOException {
        ImageEncoding encoding = encodingOf(file);
        if (encoding == null) {
            throw new IllegalArgumentException(
                    "expected a .png, .jpg or .jpeg file, found " + file);
        }
        byte[] data = Files.readAllBytes(file);
        int[] size = dimensions(data, encoding, file);
        return frameImage(encoding, size[0], size[1], data);
    }

    /** A frame image of encoded bytes. */
    public static FrameImage frameImage(
            ImageEncoding encoding, int width, int height, byte[] data) {
        return FrameImage.newBuilder()
                .setEncoding(encoding)
                .setWidth(width)
                .setHeight(height)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    private static int[] dimensions(byte[] data, ImageEncoding encoding, Path file) {
        String format = encoding == ImageEncoding.PNG ? "png" : "jpeg";
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            if (!canDecode(reader, in)) {
                throw new IllegalArgumentException(
                        "expected a " + encoding + " image in " + file + ", found other data");
            }
            reader.setInput(in);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the size of " + file + ": " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private static boolean canDecode(ImageReader reader, ImageInputStream in) {
        try {
            return reader.getOriginatingProvider().canDecodeInput(in);
        } catch (IOException e) {
            return false; // too short to hold the format's signature
        }
    }
}
