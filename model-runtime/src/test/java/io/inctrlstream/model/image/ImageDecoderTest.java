package io.inctrlstream.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ModelException.Reason;
import io.inctrlstream.model.image.AllocationMeter.Measured;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageDecoderTest {
    /**
     * Largest difference allowed between the JDK's JPEG decoder and Pillow's libjpeg-turbo on a
     * sample (both use the islow IDCT and fancy upsampling; on the fixtures they agree exactly,
     * this leaves room for other encoders' files).
     */
    private static final int JPEG_TOLERANCE = 2;

    private final ImageDecoder decoder = new ImageDecoder();

    static Stream<Arguments> jpegCases() {
        return ImageFixtures.cases("jpeg").stream()
                .map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jpegCases")
    void jpegPixelsMatchPillowWithinTolerance(String name, JsonNode fixture) throws Exception {
        byte[] jpeg = ImageFixtures.bytes(fixture.get("input").asText());
        DecodedImage expected = ImageFixtures.rgbPng(fixture.get("decoded").asText());

        DecodedImage image = decoder.decode(ImageEncoding.JPEG, jpeg, 0, 0);

        assertThat(image.width()).isEqualTo(expected.width());
        assertThat(image.height()).isEqualTo(expected.height());
        assertThat(maxDifference(image.pixels(), expected.pixels()))
                .isLessThanOrEqualTo(JPEG_TOLERANCE);
    }

    @Test
    void jpegIccProfileIsNotApplied() throws Exception {
        byte[] jpeg = ImageFixtures.bytes("photo_256x192.jpg");
        byte[] withProfile =
                insertAfterApp0(
                        jpeg, iccSegment(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB)));

        DecodedImage plain = decoder.decode(ImageEncoding.JPEG, jpeg, 0, 0);
        DecodedImage profiled = decoder.decode(ImageEncoding.JPEG, withProfile, 0, 0);

        assertThat(profiled.pixels()).isEqualTo(plain.pixels());
    }

    @Test
    void declaredSizeMayBeGivenAndMustMatch() throws Exception {
        byte[] png = ImageFixtures.bytes("rgb_320x256.png");

        assertThat(decoder.decode(ImageEncoding.PNG, png, 320, 256).width()).isEqualTo(320);
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, png, 256, 320),
                Reason.IMAGE_SIZE_MISMATCH,
                "PNG is 320x256 but the frame declares 256x320");
        assertReason(
                () ->
                        decoder.decode(
                                ImageEncoding.JPEG,
                                ImageFixtures.bytes("photo_256x192.jpg"),
                                256,
                                100),
                Reason.IMAGE_SIZE_MISMATCH,
                "JPEG is 256x192 but the frame declares 256x100");
        assertThat(decoder.decode(ImageEncoding.PNG, png, 0, 256).width())
                .as("an undeclared side is not checked")
                .isEqualTo(320);
    }

    @Test
    void rawRgbIsCopiedAndGrayIsReplicated() throws Exception {
        byte[] rgb = {1, 2, 3, 4, 5, 6};
        DecodedImage colour = decoder.decode(ImageEncoding.RGB8, rgb, 2, 1);
        rgb[0] = 9;
        DecodedImage gray = decoder.decode(ImageEncoding.GRAY8, new byte[] {7, (byte) 200}, 1, 2);

        assertThat(colour.pixels()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(gray.pixels()).containsExactly(7, 7, 7, (byte) 200, (byte) 200, (byte) 200);
        assertThat(gray.rgb(0, 1)).isEqualTo(0xC8C8C8);
    }

    @Test
    void rawSizeMustMatchExactly() {
        assertReason(
                () -> decoder.decode(ImageEncoding.RGB8, new byte[1000], 640, 480),
                Reason.IMAGE_SIZE_MISMATCH,
                "RGB8 640x480: expected 640*480*3 = 921600 bytes, found 1000");
        assertReason(
                () -> decoder.decode(ImageEncoding.GRAY8, new byte[12], 4, 4),
                Reason.IMAGE_SIZE_MISMATCH,
                "GRAY8 4x4: expected 4*4*1 = 16 bytes, found 12");
        assertReason(
                () -> decoder.decode(ImageEncoding.RGB8, new byte[0], 0, 480),
                Reason.IMAGE_SIZE_MISMATCH,
                "RGB8 frame needs a positive width and height, found 0x480");
    }

    @Test
    void truncatedPngIsRefusedOrComplete() throws Exception {
        byte[] png = ImageFixtures.bytes("rgb_320x256.png");
        byte[] full = decoder.decode(ImageEncoding.PNG, png, 0, 0).pixels();
        int refused = 0;
        for (int length = 40; length < png.length; length += 97) {
            byte[] cut = Arrays.copyOf(png, length);
            try {
                assertThat(decoder.decode(ImageEncoding.PNG, cut, 0, 0).pixels())
                        .as("a truncated PNG that decodes must be complete (%d bytes)", length)
                        .isEqualTo(full);
            } catch (ModelException e) {
                assertThat(e.reason()).isEqualTo(Reason.IMAGE_CORRUPT);
                assertThat(e.getMessage()).startsWith("PNG data is corrupt or truncated: ");
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(0);
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, Arrays.copyOf(png, png.length / 2), 0, 0),
                Reason.IMAGE_CORRUPT,
                "PNG data is corrupt or truncated: Error reading PNG image data");
    }

    @Test
    void truncatedJpegIsRefusedThroughTheDecodersWarning() throws Exception {
        byte[] jpeg = ImageFixtures.bytes("photo_256x192.jpg");

        assertReason(
                () ->
                        decoder.decode(
                                ImageEncoding.JPEG, Arrays.copyOf(jpeg, jpeg.length / 2), 0, 0),
                Reason.IMAGE_CORRUPT,
                "JPEG data is corrupt or truncated: decoder warning: ");
    }

    @Test
    void aJpegSegmentRunningPastTheEndFailsAtTheDecodersFirstWarning() {
        // SOI, then an APP2 segment declaring 65535 bytes, then nothing: libjpeg skips the segment
        // two bytes at a time past the end, warning each time (32769 warnings, 8 MB allocated and
        // about half a second of CPU for six bytes) unless the first warning ends the decode.
        byte[] jpeg = {
            (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE2, (byte) 0xFF, (byte) 0xFF
        };

        Measured<ModelException> refusal = AllocationMeter.measure(() -> refusal(jpeg));

        assertThat(refusal.result().reason()).isEqualTo(Reason.IMAGE_CORRUPT);
        assertThat(refusal.result())
                .hasMessage(
                        "JPEG header is corrupt or truncated: decoder warning: Truncated File -"
                                + " Missing EOI marker");
        assertThat(refusal.allocatedBytes()).isPresent();
        assertThat(refusal.allocatedBytes().getAsLong()).isLessThan(1 << 20);
    }

    @Test
    void truncatedJpegIsNeverReturnedHalfDecoded() throws Exception {
        byte[] jpeg = ImageFixtures.bytes("photo_256x192.jpg");
        for (int length = 3; length < jpeg.length; length += 211) {
            int cut = length;
            assertReason(
                    () -> decoder.decode(ImageEncoding.JPEG, Arrays.copyOf(jpeg, cut), 0, 0),
                    Reason.IMAGE_CORRUPT,
                    "JPEG ");
        }
    }

    @Test
    void truncatedHeadersAreCorrupt() {
        byte[] png = ImageFixtures.bytes("rgb_320x256.png");
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, Arrays.copyOf(png, 20), 0, 0),
                Reason.IMAGE_CORRUPT,
                "PNG header is corrupt: expected at least 29 bytes, found 20");
        assertReason(
                () ->
                        decoder.decode(
                                ImageEncoding.JPEG,
                                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
                                0,
                                0),
                Reason.IMAGE_CORRUPT,
                "JPEG header is corrupt or truncated: ");
    }

    @Test
    void corruptPngDataIsRefused() {
        byte[] png = ImageFixtures.bytes("rgb_320x256.png").clone();
        int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
        for (int i = idat + 100; i < idat + 400; i += 3) {
            png[i] ^= (byte) 0x5A;
        }
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, png, 0, 0),
                Reason.IMAGE_CORRUPT,
                "PNG data is corrupt or truncated: ");
    }

    @Test
    void randomBytesAreNotAnImage() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x12;
        noise[1] = 0x34;
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, noise, 0, 0),
                Reason.IMAGE_CORRUPT,
                "data is not a PNG: expected the signature 89 50 4E 47 0D 0A 1A 0A, found 12 34");
        assertReason(
                () -> decoder.decode(ImageEncoding.JPEG, noise, 0, 0),
                Reason.IMAGE_CORRUPT,
                "data is not a JPEG: expected the signature FF D8 FF, found 12 34 ");
        byte[] jpegStart = noise.clone();
        jpegStart[0] = (byte) 0xFF;
        jpegStart[1] = (byte) 0xD8;
        jpegStart[2] = (byte) 0xFF;
        jpegStart[3] = (byte) 0xE0;
        assertReason(
                () -> decoder.decode(ImageEncoding.JPEG, jpegStart, 0, 0),
                Reason.IMAGE_CORRUPT,
                "JPEG ");
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, new byte[0], 0, 0),
                Reason.IMAGE_CORRUPT,
                "PNG data is empty");
    }

    @Test
    void dataInTheOtherEncodingIsCorrupt() {
        assertReason(
                () ->
                        decoder.decode(
                                ImageEncoding.PNG, ImageFixtures.bytes("photo_256x192.jpg"), 0, 0),
                Reason.IMAGE_CORRUPT,
                "data is not a PNG: expected the signature 89 50 4E 47 0D 0A 1A 0A, found FF D8 FF"
                        + " E0 00 10 4A 46 (it looks like a JPEG)");
        assertReason(
                () ->
                        decoder.decode(
                                ImageEncoding.JPEG, ImageFixtures.bytes("rgb_320x256.png"), 0, 0),
                Reason.IMAGE_CORRUPT,
                "data is not a JPEG: expected the signature FF D8 FF, found 89 50 4E (it looks"
                        + " like a PNG)");
    }

    @Test
    void decompressionBombIsRefusedFromItsHeader() {
        byte[] bomb = png(100_000, 100_000, 8, 2, new byte[64]);

        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, bomb, 0, 0),
                Reason.IMAGE_TOO_LARGE,
                "PNG declares 100000x100000, more than the limit of 16384x16384");
        byte[] wide = png(16_000, 16_000, 8, 0, new byte[64]);
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, wide, 0, 0),
                Reason.IMAGE_TOO_LARGE,
                "PNG declares 16000x16000 = 256000000 pixels, more than the limit of 40000000");
    }

    @Test
    void jpegDeclaringHugeDimensionsIsRefusedFromItsHeader() {
        byte[] jpeg = ImageFixtures.bytes("photo_256x192.jpg").clone();
        int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        // SOF0: marker, length (2), precision (1), height (2), width (2)
        jpeg[sof + 5] = (byte) 0xEA;
        jpeg[sof + 6] = (byte) 0x60;
        jpeg[sof + 7] = (byte) 0xEA;
        jpeg[sof + 8] = (byte) 0x60;

        assertReason(
                () -> decoder.decode(ImageEncoding.JPEG, jpeg, 0, 0),
                Reason.IMAGE_TOO_LARGE,
                "JPEG declares 60000x60000, more than the limit of 16384x16384");
    }

    @Test
    void pixelAndByteBudgetsAreConfigurable() {
        ImageDecoder strict = new ImageDecoder(DecodeLimits.builder().maxPixels(1000).build());
        byte[] png = ImageFixtures.bytes("rgb_320x256.png");

        assertReason(
                () -> strict.decode(ImageEncoding.PNG, png, 0, 0),
                Reason.IMAGE_TOO_LARGE,
                "PNG declares 320x256 = 81920 pixels, more than the limit of 1000");
        assertReason(
                () -> strict.decode(ImageEncoding.RGB8, new byte[3 * 40 * 30], 40, 30),
                Reason.IMAGE_TOO_LARGE,
                "RGB8 declares 40x30 = 1200 pixels, more than the limit of 1000");
        ImageDecoder small = new ImageDecoder(DecodeLimits.builder().maxEncodedBytes(1000).build());
        assertReason(
                () -> small.decode(ImageEncoding.PNG, png, 0, 0),
                Reason.IMAGE_TOO_LARGE,
                "PNG is " + png.length + " bytes, more than the limit of 1000");
    }

    @Test
    void sixteenBitGrayscalePngIsUnsupported() {
        byte[] gray16 = png(4, 3, 16, 0, new byte[3 * (1 + 8)]);
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, gray16, 0, 0),
                Reason.IMAGE_UNSUPPORTED,
                "16-bit grayscale PNG is not supported: the reference pipeline (Pillow mode I)"
                        + " clips its values to 0..255; send it as 8-bit");
    }

    @Test
    void cmykJpegIsUnsupported() {
        assertReason(
                () ->
                        decoder.decode(
                                ImageEncoding.JPEG, ImageFixtures.bytes("cmyk_32x24.jpg"), 0, 0),
                Reason.IMAGE_UNSUPPORTED,
                "JPEG is not supported: colour space CMYK with 4 components is neither gray nor RGB");
    }

    @Test
    void invalidPngHeaderIsCorrupt() {
        byte[] badType = png(4, 3, 8, 5, new byte[3 * 13]);
        assertReason(
                () -> decoder.decode(ImageEncoding.PNG, badType, 0, 0),
                Reason.IMAGE_CORRUPT,
                "PNG header is corrupt: invalid colour type 5 with bit depth 8");
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> DecodeLimits.builder().maxPixels(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPixels must be positive, found 0");
        assertThatThrownBy(() -> DecodeLimits.builder().maxHeight(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxHeight must be positive, found -1");
        assertThat(DecodeLimits.defaults().maxEncodedBytes()).isEqualTo(32 * 1024 * 1024);
    }

    private static void assertReason(ThrowingCallable call, Reason reason, String messageStart) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(reason);
                            assertThat(e.getMessage()).startsWith(messageStart);
                        });
    }

    private ModelException refusal(byte[] jpeg) {
        try {
            decoder.decode(ImageEncoding.JPEG, jpeg, 0, 0);
        } catch (ModelException e) {
            return e;
        }
        throw new AssertionError("decoded " + jpeg.length + " bytes that are no JPEG");
    }

    private static int maxDifference(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return max;
    }

    /** A PNG with the given IHDR whose IDAT holds {@code raw} deflated (valid CRCs). */
    static byte[] png(int width, int height, int bitDepth, int colorType, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType);
        ihdr.put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buffer = new byte[raw.length + 64];
        int n = deflater.deflate(buffer);
        deflater.end();
        chunk(out, "IDAT", Arrays.copyOf(buffer, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] iccSegment(ICC_Profile profile) {
        byte[] data = profile.getData();
        byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + id.length + 2 + data.length;
        ByteBuffer segment = ByteBuffer.allocate(2 + length);
        segment.put((byte) 0xFF).put((byte) 0xE2).putShort((short) length);
        segment.put(id).put((byte) 1).put((byte) 1).put(data);
        return segment.array();
    }

    /** Inserts a marker segment after the JFIF APP0 segment that follows SOI. */
    static byte[] insertAfterApp0(byte[] jpeg, byte[] segment) {
        assertThat(jpeg[3]).as("APP0 marker").isEqualTo((byte) 0xE0);
        int end = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, end);
        out.writeBytes(segment);
        out.write(jpeg, end, jpeg.length - end);
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("pattern not found");
    }
}
