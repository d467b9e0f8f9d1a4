package io.inctrlstream.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.codec.SchemaDecodeException.Reason;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer still on an older Frame schema (before {@code productCategory} and {@code attributes}
 * were added, both with defaults) keeps working once that schema is known to the decoder, either
 * registered on the builder or released into the schema history.
 */
class SchemaEvolutionTest {
    private static final Schema OLD_FRAME =
            withoutFields(Frame.getClassSchema(), "productCategory", "attributes");

    @TempDir Path historyDir;

    @Test
    void theOldSchemaReallyLacksTheNewFields() {
        assertThat(OLD_FRAME.getField("productCategory")).isNull();
        assertThat(OLD_FRAME.getField("attributes")).isNull();
        assertThat(SchemaNormalization.parsingFingerprint64(OLD_FRAME))
                .isNotEqualTo(SchemaNormalization.parsingFingerprint64(Frame.getClassSchema()));
    }

    @Test
    void aDecoderThatDoesNotKnowTheOldSchemaRejectsItsDataClearly() {
        byte[] old = writeWithOldSchema();

        SchemaDecodeException e =
                catchThrowableOfType(
                        SchemaDecodeException.class, () -> AvroCodec.frames().decode(old));

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FINGERPRINT);
        assertThat(e.getMessage())
                .startsWith(
                        "unknown schema fingerprint "
                                + hex(SchemaNormalization.parsingFingerprint64(OLD_FRAME))
                                + ": not one of Frame v1 (");
    }

    @Test
    void aRegisteredOldSchemaIsReadWithTheNewFieldsDefaults() throws SchemaDecodeException {
        AvroCodec<Frame> codec = AvroCodec.builder(Frame.class).addWriterSchema(OLD_FRAME).build();

        Frame frame = codec.decode(writeWithOldSchema());

        assertOldFrameWithDefaults(frame);
        assertThat(codec.knownWriterVersions())
                .last()
                .isEqualTo(
                        "Frame registered #1 ("
                                + hex(SchemaNormalization.parsingFingerprint64(OLD_FRAME))
                                + ")");
    }

    @Test
    void aRegisteredOldSchemaSurvivesSerializationOfTheCodec() throws Exception {
        AvroCodec<Frame> codec = AvroCodec.builder(Frame.class).addWriterSchema(OLD_FRAME).build();

        AvroCodec<?> copy = roundTripThroughJavaSerialization(codec);

        assertOldFrameWithDefaults((Frame) copy.decode(writeWithOldSchema()));
    }

    @Test
    void anOldVersionReleasedIntoTheHistoryIsRead() throws Exception {
        writeHistory("v1.avsc", OLD_FRAME);
        writeHistory("v2.avsc", Frame.getClassSchema());

        try (URLClassLoader loader = historyLoader()) {
            AvroCodec<Frame> codec =
                    AvroCodec.builder(Frame.class).history("history", loader).build();

            assertOldFrameWithDefaults(codec.decode(writeWithOldSchema()));
            Frame current = SampleRecords.frame();
            assertThat(codec.decode(codec.encode(current))).isEqualTo(current);
            assertThat(codec.knownWriterVersions())
                    .containsExactly(
                            "Frame v1 ("
                                    + hex(SchemaNormalization.parsingFingerprint64(OLD_FRAME))
                                    + ")",
                            "Frame v2 ("
                                    + hex(
                                            SchemaNormalization.parsingFingerprint64(
                                                    Frame.getClassSchema()))
                                    + ")");
        }
    }

    @Test
    void aHistoryVersionTheCurrentSchemaCannotReadIsAPackagingError() throws Exception {
        // lineId has no default in the current schema: data written without it cannot be read.
        writeHistory("v1.avsc", withoutFields(Frame.getClassSchema(), "lineId"));

        try (URLClassLoader loader = historyLoader()) {
            AvroCodec.Builder<Frame> builder =
                    AvroCodec.builder(Frame.class).history("history", loader);

            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith(
                            "schema history resource history/Frame/v1.avsc cannot be read by the"
                                    + " current Frame schema: ")
                    .hasMessageContaining("lineId");
        }
    }

    @Test
    void aHistoryFileThatIsNotASchemaIsAPackagingError() throws Exception {
        writeHistory("v1.avsc", "{\"type\": \"record\", \"name\": ");

        try (URLClassLoader loader = historyLoader()) {
            AvroCodec.Builder<Frame> builder =
                    AvroCodec.builder(Frame.class).history("history", loader);

            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith(
                            "schema history resource history/Frame/v1.avsc is not a valid Avro"
                                    + " schema: ");
        }
    }

    @Test
    void aHistoryFileOfAnotherRecordIsAPackagingError() throws Exception {
        writeHistory("v1.avsc", SampleRecords.alert().getSchema());

        try (URLClassLoader loader = historyLoader()) {
            AvroCodec.Builder<Frame> builder =
                    AvroCodec.builder(Frame.class).history("history", loader);

            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "schema history resource history/Frame/v1.avsc must define record"
                                    + " Frame but defines io.inctrlstream.schema.AnomalyAlert");
        }
    }

    private static void assertOldFrameWithDefaults(Frame frame) {
        Frame expected = SampleRecords.frame();
        assertThat(frame.getLineId()).isEqualTo(expected.getLineId());
        assertThat(frame.getCameraId()).isEqualTo(expected.getCameraId());
        assertThat(frame.getFrameId()).isEqualTo(expected.getFrameId());
        assertThat(frame.getCaptureTime()).isEqualTo(expected.getCaptureTime());
        assertThat(frame.getImage()).isEqualTo(expected.getImage());
        assertThat(frame.getProductCategory()).isNull();
        assertThat(frame.getAttributes()).isEqualTo(Map.of());
    }

    /** What a producer on the old schema writes: a generic record, single-object encoded. */
    private static byte[] writeWithOldSchema() {
        Frame sample = SampleRecords.frame();
        Schema oldImage = OLD_FRAME.getField("image").schema();
        GenericRecord image = new GenericData.Record(oldImage);
        image.put(
                "encoding",
                new GenericData.EnumSymbol(
                        oldImage.getField("encoding").schema(),
                        sample.getImage().getEncoding().name()));
        image.put("width", sample.getImage().getWidth());
        image.put("height", sample.getImage().getHeight());
        image.put("data", sample.getImage().getData());
        GenericRecord frame = new GenericData.Record(OLD_FRAME);
        frame.put("lineId", sample.getLineId());
        frame.put("cameraId", sample.getCameraId());
        frame.put("frameId", sample.getFrameId());
        frame.put("captureTime", sample.getCaptureTime().toEpochMilli());
        frame.put("image", image);
        try {
            ByteBuffer encoded =
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), OLD_FRAME)
                            .encode(frame);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code schema} without the named fields: an older version of it. */
    private static Schema withoutFields(Schema schema, String... names) {
        List<String> removed = List.of(names);
        List<Schema.Field> kept =
                schema.getFields().stream()
                        .filter(field -> !removed.contains(field.name()))
                        .map(field -> new Schema.Field(field, field.schema()))
                        .collect(Collectors.toList());
        return Schema.createRecord(
                schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
    }

    private void writeHistory(String file, Schema schema) throws IOException {
        writeHistory(file, SchemaFormatter.format("json/pretty", schema));
    }

    private void writeHistory(String file, String json) throws IOException {
        Path dir = historyDir.resolve("history").resolve("Frame");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), json);
    }

    private URLClassLoader historyLoader() throws IOException {
        return new URLClassLoader(new URL[] {historyDir.toUri().toURL()}, null);
    }

    private static AvroCodec<?> roundTripThroughJavaSerialization(AvroCodec<?> codec)
            throws IOException, ClassNotFoundException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(codec);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(
                        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (AvroCodec<?>) in.readObject();
        }
    }

    private static String hex(long fingerprint) {
        return String.format("0x%016x", fingerprint);
    }
}
