package io.inctrlstream.model.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inctrlstream.model.image.internal.CropGeometry;
import io.inctrlstream.model.image.internal.PillowResize;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bit-exact parity of decoding + resize + crop with Pillow, on the fixtures: every PNG layout
 * Pillow opens in a different mode, shrinking and enlarging, one axis kept, extreme aspect ratios.
 */
class PillowParityTest {
    private final ImageDecoder decoder = new ImageDecoder();
    private final ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessSpec.inctrl());

    static Stream<Arguments> cropCases() {
        return ImageFixtures.cases("crop").stream()
                .map(c -> Arguments.of(c.get("name").asText(), c));
    }

    static Stream<Arguments> resizeCases() {
        return ImageFixtures.cases("resize").stream()
                .map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cropCases")
    void modelInputCropEqualsPillowReferencePipeline(String name, JsonNode fixture)
            throws Exception {
        DecodedImage image =
                decoder.decode(
                        ImageEncoding.PNG,
                        ImageFixtures.bytes(fixture.get("input").asText()),
                        0,
                        0);
        DecodedImage expected = ImageFixtures.rgbPng(fixture.get("expected").asText());

        DecodedImage crop = preprocessor.cropToModelInput(image);

        assertThat(crop.width()).isEqualTo(ImageFixtures.imageSize());
        assertThat(crop.height()).isEqualTo(ImageFixtures.imageSize());
        assertSamePixels(crop, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cropCases")
    void resizedSizeIsTorchvisions(String name, JsonNode fixture) throws Exception {
        DecodedImage image =
                decoder.decode(
                        ImageEncoding.PNG,
                        ImageFixtures.bytes(fixture.get("input").asText()),
                        0,
                        0);

        CropGeometry geometry =
                CropGeometry.of(image.width(), image.height(), ImageFixtures.imageSize());

        assertThat(new int[] {geometry.resizedWidth(), geometry.resizedHeight()})
                .containsExactly(
                        fixture.get("resized_size").get(0).asInt(),
                        fixture.get("resized_size").get(1).asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void fullResizeEqualsPillowResize(String name, JsonNode fixture) throws Exception {
        DecodedImage image =
                decoder.decode(
                        ImageEncoding.PNG,
                        ImageFixtures.bytes(fixture.get("input").asText()),
                        0,
                        0);
        int outW = fixture.get("size").get(0).asInt();
        int outH = fixture.get("size").get(1).asInt();
        DecodedImage expected = ImageFixtures.rgbPng(fixture.get("expected").asText());
        byte[] resized = new byte[outW * outH * 3];

        PillowResize.bicubicWindow(
                image.pixels(),
                image.width(),
                image.height(),
                3,
                outW,
                outH,
                0,
                0,
                outW,
                outH,
                resized,
                null);

        assertSamePixels(DecodedImage.ofRgb(outW, outH, resized), expected);
    }

    static void assertSamePixels(DecodedImage actual, DecodedImage expected) {
        assertThat(actual.width()).as("width").isEqualTo(expected.width());
        assertThat(actual.height()).as("height").isEqualTo(expected.height());
        byte[] a = actual.pixels();
        byte[] e = expected.pixels();
        int differing = 0;
        int maxDiff = 0;
        int first = -1;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xFF) - (e[i] & 0xFF));
            if (d != 0) {
                differing++;
                maxDiff = Math.max(maxDiff, d);
                if (first < 0) {
                    first = i;
                }
            }
        }
        int w = expected.width();
        assertThat(differing)
                .as(
                        "differing samples (max diff %d, first at x=%d y=%d channel %d)",
                        maxDiff,
                        first < 0 ? -1 : (first / 3) % w,
                        first < 0 ? -1 : first / 3 / w,
                        first < 0 ? -1 : first % 3)
                .isZero();
    }
}
