package io.inctrlstream.schema.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** Writes Avro binary by hand, to craft well-formed and malformed payloads byte by byte. */
final class RawAvroBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A payload starting with the single-object header of {@code schema}. */
    static RawAvroBytes singleObject(Schema schema) {
        return new RawAvroBytes().header(SchemaNormalization.parsingFingerprint64(schema));
    }

    RawAvroBytes header(long fingerprint) {
        out.write(0xC3);
        out.write(0x01);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /** A zig-zag varint (Avro int, long, enum index, union branch, length, count). */
    RawAvroBytes varint(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7fL) != 0) {
            out.write((int) ((zigzag & 0x7f) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        return this;
    }

    RawAvroBytes string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    RawAvroBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
