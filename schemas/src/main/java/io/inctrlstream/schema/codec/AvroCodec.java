package io.inctrlstream.schema.codec;

import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.codec.SchemaDecodeException.Reason;
import io.inctrlstream.schema.codec.internal.BinaryPayloadCheck;
import io.inctrlstream.schema.codec.internal.KnownRecords;
import io.inctrlstream.schema.codec.internal.SchemaHistory;
import io.inctrlstream.schema.codec.internal.SchemaVersion;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one of our topic records ({@link Frame}, {@link ControlCommand}, {@link
 * AnomalyScore}, {@link AnomalyAlert}, {@link ControlEvent}, {@link DeadLetter}) with Avro
 * single-object encoding: the marker {@code 0xC3 0x01}, the writer schema's 8-byte fingerprint
 * (little-endian CRC-64-AVRO of its parsing canonical form), then the Avro binary datum.
 *
 * <p>The decoder knows the record's current schema and every released version of it (the schema
 * history on the classpath, see {@code docs/topics-and-schemas.md}), so data written by an older
 * producer is still read, resolved to the current schema. It rejects everything else with a {@link
 * SchemaDecodeException}: bytes that are not single-object encoded, a fingerprint that is not a
 * known version of this record, and a body that is truncated, corrupt or followed by extra bytes.
 * The body is checked against its writer schema before Avro decodes it, so a poison record cannot
 * make the decoder allocate more than its own size suggests.
 *
 * <p>Instances are immutable and thread-safe (Avro's message encoder and decoder are thread-safe;
 * they keep per-thread buffers) and cheap to build. They are {@link Serializable}: a deserialized
 * codec is rebuilt from its record class and registered writer schemas, so Flink functions can hold
 * one as a field.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;
    private static final int HEADER_BYTES = 10;

    private final Class<T> type;
    private final String historyRoot;
    private final List<String> extraWriterSchemasJson;
    private final transient Schema schema;
    private final transient Map<Long, SchemaVersion> writerVersions;
    private final transient BinaryMessageEncoder<T> encoder;
    private final transient BinaryMessageDecoder<T> decoder;

    private AvroCodec(
            Class<T> type,
            Schema schema,
            String historyRoot,
            List<Schema> extraWriterSchemas,
            Map<Long, SchemaVersion> writerVersions) {
        this.type = type;
        this.schema = schema;
        this.historyRoot = historyRoot;
        this.extraWriterSchemasJson =
                extraWriterSchemas.stream().map(Schema::toString).collect(Collectors.toList());
        this.writerVersions = writerVersions;
        SpecificData model = SpecificData.getForClass(type);
        SchemaStore.Cache store = new SchemaStore.Cache();
        writerVersions.values().forEach(version -> store.addSchema(version.schema()));
        // No copy inside Avro: encode() copies the per-thread buffer out once.
        this.encoder = new BinaryMessageEncoder<>(model, schema, false);
        this.decoder = new BinaryMessageDecoder<>(model, schema, store);
    }

    /** The codec of {@link Frame}, topic {@code frames}. */
    public static AvroCodec<Frame> frames() {
        return forClass(Frame.class);
    }

    /** The codec of {@link ControlCommand}, topic {@code control}. */
    public static AvroCodec<ControlCommand> controlCommands() {
        return forClass(ControlCommand.class);
    }

    /** The codec of {@link AnomalyScore}, topic {@code scores}. */
    public static AvroCodec<AnomalyScore> anomalyScores() {
        return forClass(AnomalyScore.class);
    }

    /** The codec of {@link AnomalyAlert}, topic {@code alerts}. */
    public static AvroCodec<AnomalyAlert> anomalyAlerts() {
        return forClass(AnomalyAlert.class);
    }

    /** The codec of {@link ControlEvent}, topic {@code control-events}. */
    public static AvroCodec<ControlEvent> controlEvents() {
        return forClass(ControlEvent.class);
    }

    /** The codec of {@link DeadLetter}, topic {@code dead-letters}. */
    public static AvroCodec<DeadLetter> deadLetters() {
        return forClass(DeadLetter.class);
    }

    /** The codec of {@link LineState}, topic {@code line-state}. */
    public static AvroCodec<LineState> lineStates() {
        return forClass(LineState.class);
    }

    /**
     * The codec of one of our topic records, knowing its current schema and its released versions.
     *
     * @throws IllegalArgumentException if {@code type} is not one of our topic records
     */
    public static <T extends SpecificRecord> AvroCodec<T> forClass(Class<T> type) {
        return builder(type).build();
    }

    /** A builder for a codec that also knows writer schemas not (yet) in the history. */
    public static <T extends SpecificRecord> Builder<T> builder(Class<T> type) {
        return new Builder<>(type);
    }

    /**
     * Encodes a record with the current schema.
     *
     * @throws IllegalArgumentException if the record does not fit its schema (e.g. a required field
     *     is null, or a union holds a value of none of its types)
     */
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record");
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(record);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        } catch (UnresolvedUnionException e) {
            throw new IllegalArgumentException(
                    "cannot encode this " + schema.getName() + ": " + describe(e), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot encode this " + schema.getName() + ": " + e.getMessage(), e);
        }
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    /**
     * Encodes a record with the current schema straight into {@code out}: the same bytes as {@link
     * #encode(SpecificRecord)}, without the per-thread buffer that method reuses (which keeps the
     * capacity of the largest record it ever encoded). For large records, such as a line's state
     * with its shot bank.
     *
     * @throws IllegalArgumentException if the record does not fit its schema
     * @throws IOException if writing to {@code out} fails
     */
    public void encode(T record, OutputStream out) throws IOException {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(out, "out");
        try {
            encoder.encode(record, out);
        } catch (UnresolvedUnionException e) {
            throw new IllegalArgumentException(
                    "cannot encode this " + schema.getName() + ": " + describe(e), e);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot encode this " + schema.getName() + ": " + e.getMessage(), e);
        }
    }

    /** Avro's own message prints the whole union schema; name its branches instead. */
    private static String describe(UnresolvedUnionException e) {
        Object datum = e.getUnresolvedDatum();
        String branches =
                e.getUnionSchema().getTypes().stream()
                        .map(Schema::getName)
                        .collect(Collectors.joining(", "));
        return "a "
                + (datum == null ? "null" : datum.getClass().getName())
                + " is none of the union's types "
                + branches;
    }

    /**
     * Decodes single-object encoded bytes written with any known version of the record's schema,
     * resolved to the current schema. Returns a new record on every call.
     *
     * @throws SchemaDecodeException if the bytes are not single-object encoded ({@link
     *     Reason#NOT_SINGLE_OBJECT}), name an unknown schema ({@link Reason#UNKNOWN_FINGERPRINT})
     *     or are not a valid record of that schema ({@link Reason#MALFORMED})
     */
    public T decode(byte[] bytes) throws SchemaDecodeException {
        Objects.requireNonNull(bytes, "bytes");
        SchemaVersion writer = writerOf(bytes);
        BinaryPayloadCheck.check(writer.schema(), bytes, HEADER_BYTES);
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SchemaDecodeException(
                    Reason.MALFORMED,
                    "Avro could not decode a " + writer.describe() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The generated class this codec encodes and decodes. */
    public Class<T> recordClass() {
        return type;
    }

    /** The current (reader and writer) schema. */
    public Schema schema() {
        return schema;
    }

    /**
     * The writer schemas this codec decodes, oldest first, described as in error messages, e.g.
     * {@code Frame v1 (0x0123456789abcdef)}.
     */
    public List<String> knownWriterVersions() {
        return writerVersions.values().stream().map(SchemaVersion::describe).toList();
    }

    private SchemaVersion writerOf(byte[] bytes) throws SchemaDecodeException {
        String expected =
                "expected Avro single-object encoding of a "
                        + schema.getName()
                        + " (0xC3 0x01, an 8-byte schema fingerprint, the datum)";
        if (bytes.length == 0) {
            throw new SchemaDecodeException(Reason.NOT_SINGLE_OBJECT, expected + ", found 0 bytes");
        }
        if (bytes.length < 2 || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
            throw new SchemaDecodeException(
                    Reason.NOT_SINGLE_OBJECT,
                    expected
                            + ", found "
                            + bytes.length
                            + " bytes starting "
                            + leadingBytes(bytes));
        }
        if (bytes.length < HEADER_BYTES) {
            throw new SchemaDecodeException(
                    Reason.MALFORMED,
                    expected
                            + ", found only "
                            + bytes.length
                            + " bytes: the fingerprint is truncated");
        }
        long fingerprint = 0;
        for (int i = HEADER_BYTES - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xffL);
        }
        SchemaVersion writer = writerVersions.get(fingerprint);
        if (writer == null) {
            throw new SchemaDecodeException(
                    Reason.UNKNOWN_FINGERPRINT, unknownFingerprintMessage(fingerprint));
        }
        return writer;
    }

    private String unknownFingerprintMessage(long fingerprint) {
        String known =
                writerVersions.values().stream()
                        .map(
                                version ->
                                        version.label()
                                                + " ("
                                                + SchemaVersion.hex(version.fingerprint())
                                                + ")")
                        .collect(Collectors.joining(", "));
        String message =
                "unknown schema fingerprint "
                        + SchemaVersion.hex(fingerprint)
                        + ": not one of "
                        + schema.getName()
                        + " "
                        + known;
        return KnownRecords.describe(fingerprint)
                .map(other -> message + "; it is the fingerprint of " + other + " (wrong topic?)")
                .orElse(message);
    }

    private static String leadingBytes(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            text.append(i == 0 ? "" : " ").append(String.format("0x%02X", bytes[i]));
        }
        return text.toString();
    }

    private Object writeReplace() {
        return new SerializedForm(type, historyRoot, extraWriterSchemasJson);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("AvroCodec is deserialized through its serialized form");
    }

    /** What a serialized codec holds: enough to build it again. */
    private record SerializedForm(
            Class<? extends SpecificRecord> type,
            String historyRoot,
            List<String> extraWriterSchemasJson)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        private Object readResolve() {
            Builder<? extends SpecificRecord> builder = builder(type).history(historyRoot, null);
            for (String json : extraWriterSchemasJson) {
                builder.addWriterSchema(new Schema.Parser().parse(json));
            }
            return builder.build();
        }
    }

    /**
     * Builds a codec. Besides the record's released versions it can know further writer schemas,
     * e.g. one a producer rolled out before it was added to the history.
     */
    public static final class Builder<T extends SpecificRecord> {
        private final Class<T> type;
        private final List<Schema> extraWriterSchemas = new ArrayList<>();
        private String historyRoot = SchemaHistory.DEFAULT_ROOT;
        private ClassLoader historyLoader;

        private Builder(Class<T> type) {
            this.type = type;
        }

        /**
         * Also decode data written with this schema, which must be a version of the same record
         * that the current schema can read.
         */
        public Builder<T> addWriterSchema(Schema writerSchema) {
            extraWriterSchemas.add(writerSchema);
            return this;
        }

        /**
         * Where the schema history lives: for tests of the mechanism only. A serialized codec
         * forgets the loader and uses the record class's.
         */
        Builder<T> history(String root, ClassLoader loader) {
            this.historyRoot = root;
            this.historyLoader = loader;
            return this;
        }

        /**
         * Validates the settings and builds the codec.
         *
         * @throws IllegalArgumentException if the type is not one of our topic records, or an added
         *     writer schema is not a version of it that the current schema can read
         * @throws IllegalStateException if the schema history on the classpath is broken
         */
        public AvroCodec<T> build() {
            if (type == null || !KnownRecords.TYPES.contains(type)) {
                throw new IllegalArgumentException(
                        "AvroCodec supports "
                                + KnownRecords.TYPES.stream()
                                        .map(Class::getSimpleName)
                                        .collect(Collectors.joining(", "))
                                + "; found "
                                + (type == null ? "null" : type.getName()));
            }
            Objects.requireNonNull(historyRoot, "historyRoot");
            Schema current = KnownRecords.schemaOf(type);
            Map<Long, SchemaVersion> versions = new LinkedHashMap<>();
            List<SchemaVersion> history =
                    SchemaHistory.load(
                            historyRoot,
                            current.getName(),
                            historyLoader != null ? historyLoader : type.getClassLoader());
            for (SchemaVersion version : history) {
                String problem = incompatibility(current, version.schema());
                if (problem != null) {
                    throw new IllegalStateException(
                            "schema history resource "
                                    + SchemaHistory.resourcePath(
                                            historyRoot,
                                            current.getName(),
                                            history.indexOf(version) + 1)
                                    + " cannot be read by the current "
                                    + current.getName()
                                    + " schema: "
                                    + problem);
                }
                versions.putIfAbsent(version.fingerprint(), version);
            }
            versions.putIfAbsent(
                    SchemaVersion.fingerprintOf(current), SchemaVersion.of("current", current));
            for (int i = 0; i < extraWriterSchemas.size(); i++) {
                Schema writer = extraWriterSchemas.get(i);
                if (writer == null
                        || writer.getType() != Schema.Type.RECORD
                        || !writer.getFullName().equals(current.getFullName())) {
                    throw new IllegalArgumentException(
                            "added writer schema "
                                    + (i + 1)
                                    + " must be a version of record "
                                    + current.getFullName()
                                    + ", found "
                                    + (writer == null ? "null" : writer.getFullName()));
                }
                String problem = incompatibility(current, writer);
                if (problem != null) {
                    throw new IllegalArgumentException(
                            "added writer schema "
                                    + (i + 1)
                                    + " cannot be read by the current "
                                    + current.getName()
                                    + " schema: "
                                    + problem);
                }
                versions.putIfAbsent(
                        SchemaVersion.fingerprintOf(writer),
                        SchemaVersion.of("registered #" + (i + 1), writer));
            }
            return new AvroCodec<>(
                    type,
                    current,
                    historyRoot,
                    List.copyOf(extraWriterSchemas),
                    Collections.unmodifiableMap(versions));
        }

        /** Null if {@code reader} can read what {@code writer} wrote, else why not. */
        private static String incompatibility(Schema reader, Schema writer) {
            SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
                return null;
            }
            return result.getResult().getIncompatibilities().stream()
                    .map(problem -> problem.getMessage() + " at " + problem.getLocation())
                    .collect(Collectors.joining("; "));
        }
    }
}
