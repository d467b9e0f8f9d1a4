package io.inctrlstream.launcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.ImageBytes;
import io.inctrlstream.launcher.images.Product;
import io.inctrlstream.launcher.images.ProductImageGenerator;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir Path dir;

    private BufferedImage picture(int size) {
        return ProductImageGenerator.builder()
                .product(Product.PRINTED_LABEL)
                .size(size)
                .build()
                .generate(0, Defect.NONE)
                .image();
    }

    @Test
    void foldersExpandToTheirImagesSortedByName() throws IOException {
        Files.write(dir.resolve("b.jpg"), ImageBytes.jpeg(picture(64), 0.9f));
        Files.write(dir.resolve("a.PNG"), ImageBytes.png(picture(64)));
        Files.write(dir.resolve("c.jpeg"), ImageBytes.jpeg(picture(64), 0.9f));
        Files.write(dir.resolve("notes.txt"), new byte[] {1});
        Files.write(dir.resolve(".hidden.png"), ImageBytes.png(picture(64)));
        Files.createDirectory(dir.resolve("sub.png"));

        assertThat(ImageFiles.expand(List.of(dir)))
                .containsExactly(dir.resolve("a.PNG"), dir.resolve("b.jpg"), dir.resolve("c.jpeg"));
    }

    @Test
    void readsEncodingFromTheExtensionAndSizeFromTheHeader() throws IOException {
        Path png = Files.write(dir.resolve("shot.png"), ImageBytes.png(picture(96)));
        Path jpeg = Files.write(dir.resolve("frame.jpg"), ImageBytes.jpeg(picture(128), 0.9f));

        FrameImage pngImage = ImageFiles.read(png);
        FrameImage jpegImage = ImageFiles.read(jpeg);

        assertThat(pngImage.getEncoding()).isEqualTo(ImageEncoding.PNG);
        assertThat(pngImage.getWidth()).isEqualTo(96);
        assertThat(pngImage.getHeight()).isEqualTo(96);
        assertThat(pngImage.getData().remaining()).isEqualTo(Files.size(png));
        assertThat(jpegImage.getEncoding()).isEqualTo(ImageEncoding.JPEG);
        assertThat(jpegImage.getWidth()).isEqualTo(128);
    }

    @Test
    void refusesWhatIsNotAnImageOfItsExtension() throws IOException {
        Path text = Files.write(dir.resolve("notes.txt"), new byte[] {1});
        Path jpegNamedPng = Files.write(dir.resolve("x.png"), ImageBytes.jpeg(picture(64), 0.9f));
        Path empty = Files.createDirectory(dir.resolve("empty"));

        assertThatThrownBy(() -> ImageFiles.expand(List.of(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a .png, .jpg or .jpeg file or a folder, found " + text);
        assertThatThrownBy(() -> ImageFiles.expand(List.of(dir.resolve("none.png"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no such file or folder: " + dir.resolve("none.png"));
        assertThatThrownBy(() -> ImageFiles.expand(List.of(empty)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no .png, .jpg or .jpeg files found in [" + empty + "]");
        assertThatThrownBy(() -> ImageFiles.read(jpegNamedPng))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a PNG image in " + jpegNamedPng + ", found other data");
    }
}
