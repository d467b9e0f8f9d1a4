package io.inctrlstream.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.schema.codec.internal.KnownRecords;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The committed seed corpus of {@link AvroCodecFuzzTest} is what {@link AvroCodecFuzzSeeds} writes.
 */
class AvroCodecFuzzSeedsTest {

    @Test
    void everyCommittedSeedIsTheCurrentEncodingOfItsSample() throws Exception {
        Map<String, byte[]> expected = AvroCodecFuzzSeeds.seeds();
        for (Map.Entry<String, byte[]> seed : expected.entrySet()) {
            byte[] committed = committed(seed.getKey());
            assertThat(committed)
                    .as(
                            "seed %s is missing: run AvroCodecFuzzSeeds (docs/fuzzing.md)",
                            seed.getKey())
                    .isNotNull();
            // Compared decoded: a map's entries are written in no fixed order.
            assertThat(decode(committed))
                    .as(
                            "seed %s is outdated: run AvroCodecFuzzSeeds (docs/fuzzing.md)",
                            seed.getKey())
                    .isEqualTo(decode(seed.getValue()));
        }
    }

    private static SpecificRecord decode(byte[] bytes) throws SchemaDecodeException {
        SchemaDecodeException last = null;
        for (Class<? extends SpecificRecord> type : KnownRecords.TYPES) {
            try {
                return AvroCodec.forClass(type).decode(bytes);
            } catch (SchemaDecodeException e) {
                last = e;
            }
        }
        throw last;
    }

    private static byte[] committed(String name) throws IOException {
        String resource = "AvroCodecFuzzTestInputs/decodesOrRefusesWithItsReason/" + name;
        try (InputStream in = AvroCodecFuzzSeedsTest.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
