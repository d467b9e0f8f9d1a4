package io.inctrlstream.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HeatmapRendererTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void rendersAPngOfTheCropsSize() throws Exception {
        DecodedImage crop = ImageFixtures.rgbPng("rgb_640x480.crop.png");
        float[] map = new float[15 * 15];
        map[7 * 15 + 7] = 1f;

        byte[] png = HeatmapRenderer.builder().build().renderPng(crop, map, 15);

        DecodedImage rendered = decoder.decode(ImageEncoding.PNG, png, 240, 240);
        assertThat(rendered.pixels()).isNotEqualTo(crop.pixels());
    }

    @Test
    void zeroAlphaLeavesTheCropUnchanged() throws Exception {
        DecodedImage crop = ImageFixtures.rgbPng("rgb_640x480.crop.png");
        float[] map = new float[4];
        map[3] = 0.9f;

        byte[] png = HeatmapRenderer.builder().alpha(0).build().renderPng(crop, map, 2);

        assertThat(decoder.decode(ImageEncoding.PNG, png, 0, 0).pixels()).isEqualTo(crop.pixels());
    }

    @Test
    void jetColoursTheEndsAndMiddleOfTheRange() throws Exception {
        DecodedImage black = DecodedImage.ofRgb(3, 1, new byte[9]);
        HeatmapRenderer renderer = HeatmapRenderer.builder().alpha(1).range(0, 1).build();

        assertThat(colourOf(renderer, black, 0f)).isEqualTo(0x000080); // dark blue
        assertThat(colourOf(renderer, black, 0.5f)).isEqualTo(0x80FF80); // green-ish middle
        assertThat(colourOf(renderer, black, 1f)).isEqualTo(0x800000); // dark red
        assertThat(colourOf(renderer, black, 7f)).as("clamped to the range").isEqualTo(0x800000);
    }

    @Test
    void mapIsUpsampledBilinearlyWithPixelCentresAligned() throws Exception {
        DecodedImage black = DecodedImage.ofRgb(4, 1, new byte[12]);
        HeatmapRenderer gray =
                HeatmapRenderer.builder()
                        .alpha(1)
                        .colormap(HeatmapRenderer.Colormap.GRAY)
                        .range(0, 1)
                        .build();

        byte[] png = gray.renderPng(black, new float[] {0, 1, 0, 1}, 2);

        DecodedImage rendered = decoder.decode(ImageEncoding.PNG, png, 4, 1);
        // source x = (x + 0.5) * 2 / 4 - 0.5, clamped: 0, 0.25, 0.75, 1
        assertThat(
                        new int[] {
                            rendered.rgb(0, 0),
                            rendered.rgb(1, 0),
                            rendered.rgb(2, 0),
                            rendered.rgb(3, 0)
                        })
                .containsExactly(0x000000, 0x404040, 0xBFBFBF, 0xFFFFFF);
    }

    @Test
    void withoutARangeTheMapsOwnMinAndMaxAreUsed() throws Exception {
        DecodedImage black = DecodedImage.ofRgb(2, 1, new byte[6]);
        HeatmapRenderer gray =
                HeatmapRenderer.builder().alpha(1).colormap(HeatmapRenderer.Colormap.GRAY).build();

        byte[] png = gray.renderPng(black, new float[] {0.2f, 0.3f, 0.2f, 0.3f}, 2);

        DecodedImage rendered = decoder.decode(ImageEncoding.PNG, png, 0, 0);
        assertThat(rendered.rgb(0, 0)).isEqualTo(0x000000);
        assertThat(rendered.rgb(1, 0)).isEqualTo(0xFFFFFF);
    }

    @Test
    void argumentsAreValidated() {
        DecodedImage crop = DecodedImage.ofRgb(2, 2, new byte[12]);
        HeatmapRenderer renderer = HeatmapRenderer.builder().build();
        float[] withNan = new float[4];
        withNan[2] = Float.NaN;

        assertThatThrownBy(() -> renderer.renderPng(crop, new float[10], 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("patch map must have grid*grid = 9 values, found 10");
        assertThatThrownBy(() -> renderer.renderPng(crop, withNan, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("patch map value 2 must be finite, found NaN");
        assertThatThrownBy(() -> renderer.renderPng(crop, new float[0], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grid must be positive, found 0");
        assertThatThrownBy(() -> HeatmapRenderer.builder().alpha(1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alpha must be in [0, 1], found 1.5");
        assertThatThrownBy(() -> HeatmapRenderer.builder().range(1, 1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("range must be finite with min < max, found [1.0, 1.0]");
        assertThatThrownBy(() -> HeatmapRenderer.builder().colormap(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("colormap must be set, found null");
    }

    private int colourOf(HeatmapRenderer renderer, DecodedImage image, float value)
            throws Exception {
        float[] map = new float[9];
        Arrays.fill(map, value);
        byte[] png = renderer.renderPng(image, map, 3);
        return decoder.decode(ImageEncoding.PNG, png, 0, 0).rgb(1, 0);
    }
}
