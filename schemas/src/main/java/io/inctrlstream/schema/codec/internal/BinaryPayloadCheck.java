package io.inctrlstream.schema.codec.internal;

import io.inctrlstream.schema.codec.SchemaDecodeException;
import io.inctrlstream.schema.codec.SchemaDecodeException.Reason;
import org.apache.avro.Schema;

/**
 * Walks Avro binary data along its writer schema without building anything, and rejects it unless
 * it is exactly one well-formed datum: every varint valid, every length and item count non-negative
 * and backed by bytes actually present, every enum and union index in range, no trailing bytes.
 *
 * <p>Why: Avro's decoder trusts declared lengths and counts and allocates for them before reading,
 * so a ten-byte poison record claiming a billion-item array can exhaust the heap. After this check
 * passes, every allocation the real decode makes is bounded by the input's size.
 */
public final class BinaryPayloadCheck {
    private final byte[] bytes;
    private final String recordName;
    private int pos;

    private BinaryPayloadCheck(byte[] bytes, int offset, String recordName) {
        this.bytes = bytes;
        this.pos = offset;
        this.recordName = recordName;
    }

    /**
     * Checks that {@code bytes[offset..]} is exactly one datum of {@code writerSchema}.
     *
     * @throws SchemaDecodeException with reason {@link Reason#MALFORMED} if it is not
     */
    public static void check(Schema writerSchema, byte[] bytes, int offset)
            throws SchemaDecodeException {
        BinaryPayloadCheck check = new BinaryPayloadCheck(bytes, offset, writerSchema.getName());
        check.walk(writerSchema, writerSchema.getName());
        int trailing = bytes.length - check.pos;
        if (trailing != 0) {
            throw check.malformed(
                    trailing + " unexpected bytes after the end of the record",
                    writerSchema.getName());
        }
    }

    private void walk(Schema schema, String path) throws SchemaDecodeException {
        switch (schema.getType()) {
            case NULL -> {}
            case BOOLEAN -> {
                require(1, "a boolean", path);
                byte value = bytes[pos++];
                if (value != 0 && value != 1) {
                    throw malformed(
                            String.format("boolean byte 0x%02x, expected 0x00 or 0x01", value),
                            path);
                }
            }
            case INT -> readInt(path);
            case LONG -> readLong(path);
            case FLOAT -> skip(4, "a float", path);
            case DOUBLE -> skip(8, "a double", path);
            case STRING, BYTES -> skipLengthPrefixed(path);
            case FIXED -> skip(schema.getFixedSize(), "a fixed of " + schema.getFixedSize(), path);
            case ENUM -> {
                int index = readInt(path);
                if (index < 0 || index >= schema.getEnumSymbols().size()) {
                    throw malformed(
                            "enum index "
                                    + index
                                    + ", expected 0.."
                                    + (schema.getEnumSymbols().size() - 1)
                                    + " ("
                                    + schema.getName()
                                    + ")",
                            path);
                }
            }
            case UNION -> {
                int index = readInt(path);
                if (index < 0 || index >= schema.getTypes().size()) {
                    throw malformed(
                            "union branch "
                                    + index
                                    + ", expected 0.."
                                    + (schema.getTypes().size() - 1),
                            path);
                }
                walk(schema.getTypes().get(index), path);
            }
            case ARRAY -> walkBlocks(schema.getElementType(), false, path);
            case MAP -> walkBlocks(schema.getValueType(), true, path);
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema(), path + "." + field.name());
                }
            }
        }
    }

    /** Arrays and maps: blocks of items, each block a count (negative: followed by its size). */
    private void walkBlocks(Schema itemSchema, boolean isMap, String path)
            throws SchemaDecodeException {
        int minItemBytes = Math.max(1, (isMap ? 1 : 0) + minBytes(itemSchema));
        while (true) {
            long count = readLong(path);
            if (count == 0) {
                return;
            }
            int blockEnd = -1;
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw malformed("block item count " + count, path);
                }
                count = -count;
                long blockBytes = readLong(path);
                if (blockBytes < 0 || blockBytes > remaining()) {
                    throw malformed(
                            "block of "
                                    + blockBytes
                                    + " bytes, but "
                                    + remaining()
                                    + " bytes remain",
                            path);
                }
                blockEnd = pos + (int) blockBytes;
            }
            if (count > remaining() / minItemBytes) {
                throw malformed(
                        "block of "
                                + count
                                + " items of at least "
                                + minItemBytes
                                + " bytes each, but "
                                + remaining()
                                + " bytes remain",
                        path);
            }
            for (long i = 0; i < count; i++) {
                String itemPath = path + "[" + i + "]";
                if (isMap) {
                    skipLengthPrefixed(itemPath + ".key");
                }
                walk(itemSchema, itemPath);
            }
            if (blockEnd >= 0 && pos != blockEnd) {
                throw malformed(
                        "block declared to end at byte "
                                + blockEnd
                                + " but its items end at byte "
                                + pos,
                        path);
            }
        }
    }

    /** A lower bound of the encoded size of any datum of this schema. */
    private static int minBytes(Schema schema) {
        return switch (schema.getType()) {
            case NULL -> 0;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case FIXED -> schema.getFixedSize();
            case RECORD -> {
                int sum = 0;
                for (Schema.Field field : schema.getFields()) {
                    sum += minBytes(field.schema());
                }
                yield sum;
            }
            default -> 1;
        };
    }

    private void skipLengthPrefixed(String path) throws SchemaDecodeException {
        long length = readLong(path);
        if (length < 0) {
            throw malformed("negative length " + length, path);
        }
        if (length > remaining()) {
            throw malformed(
                    "length " + length + " but only " + remaining() + " bytes remain (truncated?)",
                    path);
        }
        pos += (int) length;
    }

    private void skip(int length, String what, String path) throws SchemaDecodeException {
        require(length, what, path);
        pos += length;
    }

    private void require(int length, String what, String path) throws SchemaDecodeException {
        if (remaining() < length) {
            throw malformed(
                    "end of data while reading "
                            + what
                            + ": "
                            + length
                            + " bytes needed, "
                            + remaining()
                            + " remain (truncated?)",
                    path);
        }
    }

    private int readInt(String path) throws SchemaDecodeException {
        long value = readVarint(5, "an int", path);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw malformed("int out of range: " + value, path);
        }
        return (int) value;
    }

    private long readLong(String path) throws SchemaDecodeException {
        return readVarint(10, "a long", path);
    }

    /** Zig-zag varint of at most {@code maxBytes} bytes. */
    private long readVarint(int maxBytes, String what, String path) throws SchemaDecodeException {
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            require(1, what, path);
            int b = bytes[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw malformed("invalid varint: more than " + maxBytes + " bytes for " + what, path);
    }

    private int remaining() {
        return bytes.length - pos;
    }

    private SchemaDecodeException malformed(String problem, String path) {
        return new SchemaDecodeException(
                Reason.MALFORMED,
                "malformed " + recordName + " at " + path + " (byte " + pos + "): " + problem);
    }
}
