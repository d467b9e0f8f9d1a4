package io.inctrlstream.schema.codec.internal;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * One writer schema a decoder knows: the record's name, a label such as {@code v1}, the schema and
 * its single-object fingerprint (CRC-64-AVRO of the parsing canonical form).
 */
public record SchemaVersion(String recordName, String label, Schema schema, long fingerprint) {

    public SchemaVersion {
        Objects.requireNonNull(recordName, "recordName");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(schema, "schema");
    }

    /** The version of {@code schema} labelled {@code label}, its fingerprint computed. */
    public static SchemaVersion of(String label, Schema schema) {
        return new SchemaVersion(schema.getName(), label, schema, fingerprintOf(schema));
    }

    /** The single-object fingerprint of a schema. */
    public static long fingerprintOf(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** A fingerprint as written in messages: 0x and 16 hex digits, as a long (little-endian). */
    public static String hex(long fingerprint) {
        return String.format("0x%016x", fingerprint);
    }

    /** For example {@code Frame v1 (0x1a2b...)}. */
    public String describe() {
        return recordName + " " + label + " (" + hex(fingerprint) + ")";
    }
}
