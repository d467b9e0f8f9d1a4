package io.inctrlstream.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
    private static final JsonNode NORMALIZE = ImageFixtures.cases("normalize").get(0);

    private final ImagePreprocessor preprocessor = new ImagePreprocessor(specOfFixture());

    private static PreprocessSpec specOfFixture() {
        double[] mean = new double[3];
        double[] std = new double[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = NORMALIZE.get("mean").get(c).asDouble();
            std[c] = NORMALIZE.get("std").get(c).asDouble();
        }
        return PreprocessSpec.fromManifest(
                ImageFixtures.imageSize(), PreprocessSpec.BICUBIC_ANTIALIAS, mean, std);
    }

    @Test
    void everyUint8ValueNormalizesExactlyAsNumpyFloat32() {
        float[] expected = littleEndianFloats(ImageFixtures.bytes(NORMALIZE.get("lut").asText()));
        int size = ImageFixtures.imageSize();
        byte[] rgb = new byte[size * size * 3];
        for (int i = 0; i < size * size; i++) {
            for (int c = 0; c < 3; c++) {
                rgb[i * 3 + c] = (byte) (i + 85 * c);
            }
        }

        float[] tensor = preprocessor.preprocess(DecodedImage.ofRgb(size, size, rgb));

        int plane = size * size;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                int value = rgb[i * 3 + c] & 0xFF;
                assertThat(Float.floatToIntBits(tensor[c * plane + i]))
                        .as("channel %d value %d", c, value)
                        .isEqualTo(Float.floatToIntBits(expected[c * 256 + value]));
            }
        }
    }

    @Test
    void tensorOfAPillowCropIsBitIdenticalToNumpys() throws Exception {
        DecodedImage crop = ImageFixtures.rgbPng(NORMALIZE.get("crop").asText());

        float[] tensor = preprocessor.preprocess(crop);

        ByteBuffer bytes = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(tensor);
        String sha256 =
                HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        assertThat(sha256).isEqualTo(NORMALIZE.get("tensor_sha256").asText());
        for (int i = 0; i < 4; i++) {
            assertThat(tensor[i])
                    .isEqualTo((float) NORMALIZE.get("tensor_first").get(i).asDouble());
        }
    }

    @Test
    void preprocessIntoFillsOneSlotOfABatch() throws Exception {
        DecodedImage image =
                new ImageDecoder()
                        .decode(ImageEncoding.PNG, ImageFixtures.bytes("rgb_320x256.png"), 0, 0);
        int length = preprocessor.tensorLength();
        float[] batch = new float[3 * length];
        Arrays.fill(batch, -7f);

        preprocessor.preprocessInto(image, batch, length);

        assertThat(Arrays.copyOfRange(batch, length, 2 * length))
                .isEqualTo(preprocessor.preprocess(image));
        float[] untouched = new float[length];
        Arrays.fill(untouched, -7f);
        assertThat(Arrays.copyOfRange(batch, 0, length)).isEqualTo(untouched);
        assertThat(Arrays.copyOfRange(batch, 2 * length, 3 * length)).isEqualTo(untouched);
        assertThat(length).isEqualTo(3 * 240 * 240);
    }

    @Test
    void preprocessIntoRefusesASlotOutsideTheBuffer() {
        DecodedImage image = DecodedImage.ofRgb(1, 1, new byte[3]);
        int length = preprocessor.tensorLength();

        assertThatThrownBy(
                        () -> preprocessor.preprocessInto(image, new float[2 * length], length + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "dst needs "
                                + length
                                + " floats from offset "
                                + (length + 1)
                                + ", its length is "
                                + 2 * length);
        assertThatThrownBy(() -> preprocessor.preprocessInto(image, new float[length], -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        List<DecodedImage> images = new ArrayList<>();
        for (String name :
                List.of(
                        "rgb_640x480.png",
                        "rgb_200x150.png",
                        "rgba_300x220.png",
                        "palette_257x300.png")) {
            images.add(decoder.decode(ImageEncoding.PNG, ImageFixtures.bytes(name), 0, 0));
        }
        List<float[]> sequential = new ArrayList<>();
        for (DecodedImage image : images) {
            sequential.add(preprocessor.preprocess(image));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (DecodedImage image : images) {
                    futures.add(pool.submit(() -> preprocessor.preprocess(image)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(sequential.get(i % images.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cropOfAModelSizedImageIsTheImage() {
        byte[] rgb = new byte[240 * 240 * 3];
        Arrays.fill(rgb, (byte) 200);
        rgb[5] = 3;

        DecodedImage crop = preprocessor.cropToModelInput(DecodedImage.ofRgb(240, 240, rgb));

        assertThat(crop.pixels()).isEqualTo(rgb);
    }

    @Test
    void specIsValidated() {
        assertThatThrownBy(
                        () ->
                                PreprocessSpec.fromManifest(
                                        240, "bilinear", new double[3], new double[] {1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interpolation must be 'bicubic-antialias', found 'bilinear'");
        assertThatThrownBy(
                        () ->
                                PreprocessSpec.builder()
                                        .imageSize(240)
                                        .mean(0, 0, 0)
                                        .std(1, 0, 1)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("std values must be finite and positive, found [1.0, 0.0, 1.0]");
        assertThatThrownBy(
                        () ->
                                PreprocessSpec.builder()
                                        .imageSize(240)
                                        .mean(0, 0)
                                        .std(1, 1, 1)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mean must have 3 values (R, G, B), found [0.0, 0.0]");
        assertThatThrownBy(() -> PreprocessSpec.builder().imageSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("imageSize must be in 1..4096, found 0");
        assertThat(PreprocessSpec.inctrl()).isEqualTo(specOfFixture());
    }

    @Test
    void decodedImageIsImmutable() {
        byte[] rgb = {10, 20, 30};
        DecodedImage image = DecodedImage.ofRgb(1, 1, rgb);
        rgb[0] = 99;
        image.pixels()[1] = 99;

        assertThat(image.rgb(0, 0)).isEqualTo(0x0A141E);
        assertThatThrownBy(() -> DecodedImage.ofRgb(2, 2, new byte[11]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 2*2*3 = 12 bytes, found 11");
    }

    private static float[] littleEndianFloats(byte[] bytes) {
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
