package io.inctrlstream.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.schema.codec.internal.KnownRecords;
import io.inctrlstream.schema.codec.internal.SchemaHistory;
import io.inctrlstream.schema.codec.internal.SchemaVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the released schema history: every topic record's current schema is its newest released
 * version, and every released version can still be read. Changing a record's fields without
 * releasing the change fails here, with the file to add written under target/.
 */
class SchemaHistoryTest {
    private static final Path CANDIDATES = Path.of("target", "schema-history-candidates");

    static Stream<Class<? extends SpecificRecord>> topicRecords() {
        return KnownRecords.TYPES.stream();
    }

    @ParameterizedTest
    @MethodSource("topicRecords")
    void theCurrentSchemaIsTheNewestReleasedVersion(Class<? extends SpecificRecord> type)
            throws IOException {
        Schema current = KnownRecords.schemaOf(type);
        List<SchemaVersion> history = history(current);
        long currentFingerprint = SchemaVersion.fingerprintOf(current);

        if (history.isEmpty()
                || history.get(history.size() - 1).fingerprint() != currentFingerprint) {
            Path candidate =
                    CANDIDATES
                            .resolve(current.getName())
                            .resolve("v" + (history.size() + 1) + ".avsc");
            Files.createDirectories(candidate.getParent());
            Files.writeString(candidate, SchemaFormatter.format("json/pretty", current) + "\n");
            assertThat(history)
                    .as(
                            "%s's schema changed but was not released: check the change follows"
                                    + " the evolution rules in docs/topics-and-schemas.md, then"
                                    + " copy %s to src/main/resources/%s",
                            current.getName(),
                            candidate,
                            SchemaHistory.resourcePath(
                                    SchemaHistory.DEFAULT_ROOT,
                                    current.getName(),
                                    history.size() + 1))
                    .last()
                    .extracting(SchemaVersion::fingerprint)
                    .isEqualTo(currentFingerprint);
        }
        assertThat(history)
                .last()
                .extracting(SchemaVersion::fingerprint)
                .isEqualTo(currentFingerprint);
    }

    @ParameterizedTest
    @MethodSource("topicRecords")
    void everyReleasedVersionIsReadableByTheCurrentSchema(Class<? extends SpecificRecord> type) {
        Schema current = KnownRecords.schemaOf(type);

        for (SchemaVersion version : history(current)) {
            assertThat(
                            SchemaCompatibility.checkReaderWriterCompatibility(
                                            current, version.schema())
                                    .getType())
                    .as(version.describe())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest
    @MethodSource("topicRecords")
    void releasedVersionsAreDistinct(Class<? extends SpecificRecord> type) {
        List<Long> fingerprints =
                history(KnownRecords.schemaOf(type)).stream()
                        .map(SchemaVersion::fingerprint)
                        .toList();

        assertThat(fingerprints).isNotEmpty().doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("topicRecords")
    void theCodecKnowsEveryReleasedVersion(Class<? extends SpecificRecord> type) {
        Schema current = KnownRecords.schemaOf(type);
        List<String> released = history(current).stream().map(SchemaVersion::describe).toList();

        assertThat(AvroCodec.forClass(type).knownWriterVersions())
                .containsExactlyElementsOf(released);
    }

    private static List<SchemaVersion> history(Schema current) {
        return SchemaHistory.load(
                SchemaHistory.DEFAULT_ROOT,
                current.getName(),
                SchemaHistoryTest.class.getClassLoader());
    }
}
