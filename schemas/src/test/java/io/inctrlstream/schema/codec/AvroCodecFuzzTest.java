package io.inctrlstream.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.inctrlstream.schema.codec.AllocationMeter.Measured;
import io.inctrlstream.schema.codec.SchemaDecodeException.Reason;
import io.inctrlstream.schema.codec.internal.KnownRecords;
import io.inctrlstream.schema.codec.internal.SchemaHistory;
import io.inctrlstream.schema.codec.internal.SchemaVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

/**
 * Coverage-guided fuzzing of the single-object decoder of every topic record: any bytes either
 * decode to a record that survives a round trip, or are refused with a {@link
 * SchemaDecodeException} whose reason matches what the header says; nothing else is thrown, and a
 * decode allocates no more than a bound derived from the payload's size (the promise of {@link
 * io.inctrlstream.schema.codec.internal.BinaryPayloadCheck}).
 *
 * <p>Each input is offered to the codec of every record type, so one target covers all of them: the
 * fingerprint lets exactly one codec (or none) past the header. The seed corpus ({@code
 * AvroCodecFuzzTestInputs/}) holds one encoded record per {@link SampleRecords} sample, written by
 * {@link AvroCodecFuzzSeeds}. See {@code docs/fuzzing.md}.
 */
class AvroCodecFuzzTest {
    /** What a decode may allocate whatever its input: buffers, the exception and its message. */
    private static final long FIXED_ALLOCATION_BYTES = 1 << 20;

    /**
     * What a decode may allocate per payload byte. The densest encodings are arrays and maps of
     * empty items: one or two bytes each become a boxed value or a map entry of two strings.
     */
    private static final long ALLOCATION_BYTES_PER_PAYLOAD_BYTE = 256;

    private static final List<AvroCodec<?>> CODECS =
            KnownRecords.TYPES.stream().<AvroCodec<?>>map(AvroCodec::forClass).toList();

    /** Each codec's writer fingerprints: the current schema's and the released versions'. */
    private static final Map<AvroCodec<?>, Set<Long>> KNOWN_FINGERPRINTS =
            CODECS.stream().collect(Collectors.toMap(codec -> codec, AvroCodecFuzzTest::writers));

    @FuzzTest
    void decodesOrRefusesWithItsReason(byte[] bytes) throws SchemaDecodeException {
        for (AvroCodec<?> codec : CODECS) {
            decodeOrRefuse(codec, bytes);
        }
    }

    private static <T extends SpecificRecord> void decodeOrRefuse(AvroCodec<T> codec, byte[] bytes)
            throws SchemaDecodeException {
        Reason headerProblem = headerProblem(codec, bytes);
        Measured<Outcome<T>> measured = AllocationMeter.measure(() -> Outcome.of(codec, bytes));
        measured.allocatedBytes()
                .ifPresent(allocated -> assertWithinAllocationBound(allocated, codec, bytes));
        Outcome<T> outcome = measured.result();
        if (outcome.refusal() != null) {
            SchemaDecodeException e = outcome.refusal();
            assertThat(e.reason())
                    .as(e.getMessage())
                    .isEqualTo(headerProblem == null ? Reason.MALFORMED : headerProblem);
            assertThat(e.getCause())
                    .as("the payload check passed a body Avro could not decode: %s", e.getMessage())
                    .isNull();
            return;
        }
        assertThat(headerProblem).as("decoded despite its header").isNull();
        // Round trip compared as encodings: Avro's generated equals finds a NaN score unequal to
        // itself (a foreign record may carry one; found by this fuzz test), bytes do not.
        byte[] encoded = codec.encode(outcome.record());
        assertThat(codec.encode(codec.decode(encoded))).isEqualTo(encoded);
    }

    /** The decoded record, or why the codec refused the bytes. */
    private record Outcome<T>(T record, SchemaDecodeException refusal) {
        static <T extends SpecificRecord> Outcome<T> of(AvroCodec<T> codec, byte[] bytes) {
            try {
                return new Outcome<>(codec.decode(bytes), null);
            } catch (SchemaDecodeException e) {
                return new Outcome<>(null, e);
            }
        }
    }

    /** What is wrong with the single-object header, by the format's definition; null if nothing. */
    private static Reason headerProblem(AvroCodec<?> codec, byte[] bytes) {
        if (bytes.length < 2 || bytes[0] != (byte) 0xC3 || bytes[1] != 0x01) {
            return Reason.NOT_SINGLE_OBJECT;
        }
        if (bytes.length < 10) {
            return Reason.MALFORMED;
        }
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xffL);
        }
        return KNOWN_FINGERPRINTS.get(codec).contains(fingerprint)
                ? null
                : Reason.UNKNOWN_FINGERPRINT;
    }

    private static Set<Long> writers(AvroCodec<?> codec) {
        Set<Long> fingerprints = new HashSet<>();
        fingerprints.add(SchemaNormalization.parsingFingerprint64(codec.schema()));
        for (SchemaVersion version :
                SchemaHistory.load(
                        SchemaHistory.DEFAULT_ROOT,
                        codec.schema().getName(),
                        AvroCodecFuzzTest.class.getClassLoader())) {
            fingerprints.add(version.fingerprint());
        }
        return fingerprints;
    }

    private static void assertWithinAllocationBound(
            long allocated, AvroCodec<?> codec, byte[] bytes) {
        long bound = FIXED_ALLOCATION_BYTES + ALLOCATION_BYTES_PER_PAYLOAD_BYTE * bytes.length;
        assertThat(allocated)
                .as(
                        "bytes allocated decoding %d bytes as a %s",
                        bytes.length, codec.schema().getName())
                .isLessThanOrEqualTo(bound);
    }
}
