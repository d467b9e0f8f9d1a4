package io.inctrlstream.launcher.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProductImageGeneratorTest {

    private static ProductImageGenerator generator(Product product, long seed) {
        return ProductImageGenerator.builder().product(product).seed(seed).build();
    }

    @ParameterizedTest
    @EnumSource(Product.class)
    void sameSeedAndSampleGiveTheSamePicture(Product product) {
        for (Defect defect : Defect.values()) {
            BufferedImage first = generator(product, 11).generate(5, defect).image();
            BufferedImage second = generator(product, 11).generate(5, defect).image();
            assertThat(pixels(second)).as("%s %s", product, defect).isEqualTo(pixels(first));
        }
    }

    @ParameterizedTest
    @EnumSource(Product.class)
    void samplesAndSeedsDiffer(Product product) {
        ProductImageGenerator generator = generator(product, 11);
        int[] sample0 = pixels(generator.generate(0, Defect.NONE).image());
        assertThat(pixels(generator.generate(1, Defect.NONE).image())).isNotEqualTo(sample0);
        assertThat(pixels(generator(product, 12).generate(0, Defect.NONE).image()))
                .isNotEqualTo(sample0);
    }

    @ParameterizedTest
    @EnumSource(Product.class)
    void aDefectChangesPixelsOnlyInsideItsRegion(Product product) {
        ProductImageGenerator generator = generator(product, 3);
        for (long sample = 0; sample < 6; sample++) {
            BufferedImage good = generator.generate(sample, Defect.NONE).image();
            for (Defect defect : Defect.anomalies()) {
                GeneratedImage bad = generator.generate(sample, defect);
                Rectangle region = bad.defectRegion().orElseThrow();
                int inside = 0;
                int outside = 0;
                for (int y = 0; y < good.getHeight(); y++) {
                    for (int x = 0; x < good.getWidth(); x++) {
                        if (good.getRGB(x, y) != bad.image().getRGB(x, y)) {
                            if (region.contains(x, y)) {
                                inside++;
                            } else {
                                outside++;
                            }
                        }
                    }
                }
                String what = product + " " + defect + " sample " + sample;
                assertThat(outside).as(what + ": changed pixels outside " + region).isZero();
                // A visible defect: a noticeable share of its region changed.
                assertThat(inside)
                        .as(what + ": changed pixels inside " + region)
                        .isGreaterThan(region.width * region.height / 20);
            }
        }
    }

    @Test
    void aGoodPartHasNoDefectRegion() {
        GeneratedImage image = generator(Product.METAL_PART, 1).generate(0, Defect.NONE);
        assertThat(image.isDefective()).isFalse();
        assertThat(image.defectRegion()).isEmpty();
        assertThat(image.image().getWidth()).isEqualTo(256);
    }

    @Test
    void sizeScalesThePicture() {
        ProductImageGenerator generator =
                ProductImageGenerator.builder().product(Product.CIRCUIT_BOARD).size(128).build();
        GeneratedImage image = generator.generate(0, Defect.SPOT);
        assertThat(image.image().getWidth()).isEqualTo(128);
        assertThat(image.image().getHeight()).isEqualTo(128);
        Rectangle region = image.defectRegion().orElseThrow();
        assertThat(new Rectangle(0, 0, 128, 128).contains(region)).isTrue();
    }

    @Test
    void encodesAsPngAndJpeg() throws IOException {
        BufferedImage image = generator(Product.PRINTED_LABEL, 1).generate(0, Defect.NONE).image();
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(ImageBytes.png(image)));
        assertThat(pixels(png)).isEqualTo(pixels(image));
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(ImageBytes.jpeg(image, 0.9f)));
        assertThat(jpeg.getWidth()).isEqualTo(image.getWidth());
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> ProductImageGenerator.builder().size(32).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size must be in 64..2048, found 32");
        assertThatThrownBy(() -> ProductImageGenerator.builder().jitter(9).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be in 0..8, found 9");
        assertThatThrownBy(() -> ProductImageGenerator.builder().noiseSigma(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("noiseSigma must be in 0..32, found -1.0");
        assertThatThrownBy(() -> ProductImageGenerator.builder().lighting(0.6).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lighting must be in 0..0.5, found 0.6");
        assertThatThrownBy(() -> generator(Product.METAL_PART, 1).generate(-1, Defect.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sample must be >= 0, found -1");
        assertThatThrownBy(() -> ImageBytes.jpeg(new BufferedImage(8, 8, 1), 1.5f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quality must be in 0..1, found 1.5");
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
