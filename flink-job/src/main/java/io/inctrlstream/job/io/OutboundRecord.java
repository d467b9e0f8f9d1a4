package io.inctrlstream.job.io;

import java.util.Objects;

/**
 * One output record ready for its topic: the Kafka key and the Avro single-object encoded value.
 * The job encodes its outputs itself, so that every sink (Kafka in production, a collecting sink in
 * tests) writes exactly the bytes consumers will read.
 *
 * <p>A Flink POJO (record). The arrays are not copied: treat them as immutable.
 *
 * @param key the key bytes (the line id in UTF-8), or null (a dead letter of a record without key)
 * @param value the encoded value
 */
public record OutboundRecord(byte[] key, byte[] value) {
    public OutboundRecord {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "OutboundRecord[key "
                + (key == null ? "none" : key.length + " bytes")
                + ", value "
                + value.length
                + " bytes]";
    }
}
