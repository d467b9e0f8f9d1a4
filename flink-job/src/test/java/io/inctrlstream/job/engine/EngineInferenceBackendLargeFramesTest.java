package io.inctrlstream.job.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.TinyBundle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch of eight 6000 x 6000 frames (36 megapixels: 108 MB of decoded RGB each, 864 MB for the
 * batch), half JPEG, half PNG, every one needing its heatmap, scored by the engine backend in a JVM
 * of {@value #HEAP} heap: it only fits because each frame is cropped to the model input right after
 * it is decoded. Decoding one such frame takes about twice its RGB size (the decoder's image and
 * the RGB copy: about 216 MB here); keeping every decoded frame of the batch, as the backend did
 * before, needed about 1.1 GB and failed with OutOfMemoryError in 640 MB.
 */
class EngineInferenceBackendLargeFramesTest {
    private static final int SIDE = 6000;
    private static final int FRAMES = 8;
    private static final String HEAP = "512m";

    @Test
    @Timeout(600)
    void aBatchOfLargeFramesIsScoredWithinABoundedHeap(@TempDir Path folder) throws Exception {
        BufferedImage picture = picture();
        Path jpeg = Files.write(folder.resolve("large.jpg"), TestImages.write(picture, "jpg"));
        Path png = Files.write(folder.resolve("large.png"), quickPng(picture));
        Path shot = Files.write(folder.resolve("shot.png"), TestImages.png(64, 64, 40, false));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + HEAP);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LargeFrameBatch.class.getName());
        command.add(TinyBundle.DIRECTORY.toAbsolutePath().toString());
        command.add(shot.toString());
        for (int i = 0; i < FRAMES; i++) {
            command.add(i % 2 == 0 ? "JPEG" : "PNG");
            command.add(Integer.toString(SIDE));
            command.add(Integer.toString(SIDE));
            command.add((i % 2 == 0 ? jpeg : png).toString());
        }
        Path log = folder.resolve("batch.log");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        boolean finished = process.waitFor(540, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(finished).as("the batch finished: %s", output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("scored " + FRAMES + " of " + FRAMES)
                .contains("heatmaps " + FRAMES);
    }

    /** A mild checkerboard with a gradient: compresses well, so the files stay small. */
    private static BufferedImage picture() {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                byte shade = (byte) (60 + ((x / 96 + y / 96) % 2) * 40 + x * 40 / SIDE);
                int i = (y * SIDE + x) * 3;
                pixels[i] = shade;
                pixels[i + 1] = shade;
                pixels[i + 2] = shade;
            }
        }
        return image;
    }

    /** A PNG at a low deflate level: ImageIO's default level takes long on 36 megapixels. */
    private static byte[] quickPng(BufferedImage image) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.8f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
