package io.inctrlstream.model.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The committed seed corpus of {@link ImageDecoderFuzzTest} holds every seed {@link
 * ImageDecoderFuzzSeeds} makes, and each still decodes: a seed the decoder refuses would leave the
 * fuzzer short of the paths behind it.
 */
class ImageDecoderFuzzSeedsTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageDecoderFuzzTest.LIMITS);

    @Test
    void everyCommittedSeedDecodesToItsSize() throws Exception {
        for (String name : ImageDecoderFuzzSeeds.seeds().keySet()) {
            byte[] committed = committed(name);
            assertThat(committed)
                    .as("seed %s is missing: run ImageDecoderFuzzSeeds (docs/fuzzing.md)", name)
                    .isNotNull();
            FuzzedFrame frame = FuzzedFrame.parse(committed);

            DecodedImage image =
                    decoder.decode(frame.encoding(), frame.data(), frame.width(), frame.height());

            assertThat(image.width()).as(name).isEqualTo(ImageDecoderFuzzSeeds.WIDTH);
            assertThat(image.height()).as(name).isEqualTo(ImageDecoderFuzzSeeds.HEIGHT);
        }
    }

    private static byte[] committed(String name) throws IOException {
        String resource = "ImageDecoderFuzzTestInputs/decodesWithinTheLimitsOrRefuses/" + name;
        try (InputStream in = ImageDecoderFuzzSeedsTest.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
