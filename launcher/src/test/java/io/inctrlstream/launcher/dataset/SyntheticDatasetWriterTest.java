package io.inctrlstream.launcher.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.launcher.images.Product;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetWriterTest {
    @TempDir Path temp;

    private static SyntheticDatasetWriter.Builder small(Path out) {
        return SyntheticDatasetWriter.builder()
                .out(out)
                .categories(List.of("pcb", "label-2"))
                .trainGood(2)
                .testGood(1)
                .defectsPerType(1)
                .size(64)
                .seed(7);
    }

    @Test
    void writesTheMvtecLayoutWithMasksThatTheReaderReads() throws IOException {
        AtomicInteger written = new AtomicInteger();
        SyntheticDatasetWriter writer = small(temp).build();
        writer.write(written::incrementAndGet);

        assertThat(written).hasValue(2 * writer.imagesPerCategory());
        assertThat(writer.imagesPerCategory()).isEqualTo(2 + 1 + 4);
        AnomalyDataset dataset = DatasetReader.read(temp);
        assertThat(dataset.categories())
                .extracting(DatasetCategory::name)
                .containsExactly("label-2", "pcb");
        DatasetCategory label = dataset.categories().get(0);
        assertThat(label.textCategory()).isEqualTo("label");
        assertThat(label.shotPool()).hasSize(2);
        assertThat(label.test())
                .extracting(TestImage::defectType)
                .containsExactly("good", "missing_part", "scratch", "shifted_part", "spot");
        for (TestImage image : label.test()) {
            assertThat(image.mask().isPresent()).isEqualTo(image.anomalous());
            if (image.anomalous()) {
                BufferedImage mask = ImageIO.read(image.mask().get().toFile());
                assertThat(mask.getWidth()).isEqualTo(64);
                assertThat(whitePixels(mask)).as(image.toString()).isPositive();
            }
        }
    }

    @Test
    void theSameSeedWritesTheSameBytesAndVariantsDiffer() throws IOException {
        small(temp.resolve("a")).build().write(() -> {});
        small(temp.resolve("b")).build().write(() -> {});
        small(temp.resolve("c")).seed(8).build().write(() -> {});

        Path image = Path.of("pcb/test/scratch/000.png");
        assertThat(Files.readAllBytes(temp.resolve("a").resolve(image)))
                .isEqualTo(Files.readAllBytes(temp.resolve("b").resolve(image)));
        assertThat(Files.readAllBytes(temp.resolve("a").resolve(image)))
                .isNotEqualTo(Files.readAllBytes(temp.resolve("c").resolve(image)));
        assertThat(files(temp.resolve("a"))).isEqualTo(files(temp.resolve("b")));
    }

    @Test
    void categoriesAreFamiliesWithOptionalVariants() {
        assertThat(SyntheticDatasetWriter.familyOf("pcb-12")).isEqualTo(Product.CIRCUIT_BOARD);
        assertThat(SyntheticDatasetWriter.familyOf("metal_nut")).isEqualTo(Product.METAL_PART);
        for (String bad : List.of("bottle", "pcb-0", "pcb-x", "pcb-123456")) {
            assertThatThrownBy(() -> SyntheticDatasetWriter.familyOf(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "unknown synthetic category '"
                                    + bad
                                    + "': expected a product family (metal_nut, label, pcb),"
                                    + " optionally followed by -<variant number> (1..9999), e.g."
                                    + " pcb-2");
        }
    }

    @Test
    void refusesBadSettingsAndExistingCategories() throws IOException {
        assertThatThrownBy(() -> small(temp).trainGood(0).build())
                .hasMessage("good must be in 1..100000, found 0");
        assertThatThrownBy(() -> small(temp).categories(List.of("pcb", "pcb")).build())
                .hasMessage("categories must not repeat, found pcb,pcb");
        Files.createDirectories(temp.resolve("pcb"));
        assertThatThrownBy(() -> small(temp).build().write(() -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        temp.resolve("pcb") + " exists already: give a new or empty --out folder");
    }

    private static int whitePixels(BufferedImage mask) {
        int count = 0;
        for (int y = 0; y < mask.getHeight(); y++) {
            for (int x = 0; x < mask.getWidth(); x++) {
                count += (mask.getRGB(x, y) & 0xFF) == 255 ? 1 : 0;
            }
        }
        return count;
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> root.relativize(f).toString())
                    .sorted()
                    .toList();
        }
    }
}
