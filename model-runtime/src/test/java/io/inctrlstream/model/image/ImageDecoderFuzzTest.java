package io.inctrlstream.model.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.image.AllocationMeter.Measured;
import io.inctrlstream.model.image.internal.JpegIccStripper;
import io.inctrlstream.model.image.internal.PngHeader;

/**
 * Coverage-guided fuzzing of frame decoding (JPEG and PNG headers and data, raw RGB8 and GRAY8)
 * under small {@link DecodeLimits}: any input either decodes to an image within the limits, of the
 * declared size where one is declared, or is refused with a {@link ModelException} of an {@code
 * IMAGE_*} reason; nothing else is thrown, and a decode allocates no more than the pixel budget and
 * the input's size allow. The header parsing the decoder relies on ({@link PngHeader}, {@link
 * JpegIccStripper}) is held to its own contract on the same inputs.
 *
 * <p>Inputs are read as {@link FuzzedFrame}s. The seed corpus ({@code ImageDecoderFuzzTestInputs/})
 * holds small valid images of every kind the decoder reads, written by {@link
 * ImageDecoderFuzzSeeds}. See {@code docs/fuzzing.md}.
 */
class ImageDecoderFuzzTest {
    /** Small enough that a decompression bomb is a few mutations away from a seed. */
    static final DecodeLimits LIMITS =
            DecodeLimits.builder()
                    .maxPixels(64 * 64)
                    .maxWidth(256)
                    .maxHeight(256)
                    .maxEncodedBytes(64 * 1024)
                    .build();

    /** What a decode may allocate whatever its input: a reader, its buffers, its tables. */
    private static final long FIXED_ALLOCATION_BYTES = 1 << 20;

    /**
     * What a decode may allocate per pixel of the budget: the decoder's raster (up to 8 bytes a
     * pixel for 16-bit RGBA), the RGB copy (3), the alpha plane (1), row buffers.
     */
    private static final long ALLOCATION_BYTES_PER_PIXEL = 64;

    /** What a decode may allocate per input byte: the input stream's cache, the stripped copy. */
    private static final long ALLOCATION_BYTES_PER_INPUT_BYTE = 16;

    private static final ImageDecoder DECODER = new ImageDecoder(LIMITS);

    @FuzzTest
    void decodesWithinTheLimitsOrRefuses(byte[] input) {
        FuzzedFrame frame = FuzzedFrame.parse(input);
        checkHeaderParsing(frame.data());
        Measured<Outcome> measured = AllocationMeter.measure(() -> Outcome.of(frame));
        measured.allocatedBytes().ifPresent(bytes -> assertWithinAllocationBound(bytes, frame));
        Outcome outcome = measured.result();
        if (outcome.image() != null) {
            assertWithinLimitsAndAsDeclared(outcome.image(), frame);
        } else {
            ModelException refusal = outcome.refusal();
            assertThat(refusal.reason().name()).as(refusal.getMessage()).startsWith("IMAGE_");
            assertThat(refusal.getMessage()).isNotBlank();
        }
    }

    /** The decoded image, or why the decoder refused the frame. */
    private record Outcome(DecodedImage image, ModelException refusal) {
        static Outcome of(FuzzedFrame frame) {
            try {
                return new Outcome(
                        DECODER.decode(
                                frame.encoding(), frame.data(), frame.width(), frame.height()),
                        null);
            } catch (ModelException e) {
                return new Outcome(null, e);
            }
        }
    }

    private static void assertWithinLimitsAndAsDeclared(DecodedImage image, FuzzedFrame frame) {
        int width = image.width();
        int height = image.height();
        assertThat(width).isBetween(1, LIMITS.maxWidth());
        assertThat(height).isBetween(1, LIMITS.maxHeight());
        assertThat((long) width * height).isLessThanOrEqualTo(LIMITS.maxPixels());
        assertThat(image.pixels()).hasSize(width * height * 3);
        if (frame.encoding().isRaw() || frame.width() > 0) {
            assertThat(width).isEqualTo(frame.width());
        }
        if (frame.encoding().isRaw() || frame.height() > 0) {
            assertThat(height).isEqualTo(frame.height());
        }
    }

    /**
     * The PNG header parser reads a valid header or says why not; the JPEG ICC stripper never fails
     * and only ever removes bytes.
     */
    private static void checkHeaderParsing(byte[] data) {
        try {
            PngHeader header = PngHeader.parse(data);
            assertThat(header.width()).isPositive();
            assertThat(header.height()).isPositive();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        byte[] stripped = JpegIccStripper.strip(data);
        assertThat(stripped.length).isLessThanOrEqualTo(data.length);
    }

    private static void assertWithinAllocationBound(long allocated, FuzzedFrame frame) {
        long bound =
                FIXED_ALLOCATION_BYTES
                        + ALLOCATION_BYTES_PER_PIXEL * LIMITS.maxPixels()
                        + ALLOCATION_BYTES_PER_INPUT_BYTE * frame.data().length;
        assertThat(allocated)
                .as(
                        "bytes allocated decoding %d bytes of %s",
                        frame.data().length, frame.encoding())
                .isLessThanOrEqualTo(bound);
    }
}
