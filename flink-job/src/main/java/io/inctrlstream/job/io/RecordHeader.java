package io.inctrlstream.job.io;

import java.util.Objects;

/**
 * One header of an input record, exactly as it arrived (Kafka headers may repeat a key; a record
 * keeps them all, in order). The job reads the control topic's {@code inctrl-principal} and {@code
 * inctrl-signature} headers (see docs/topics-and-schemas.md).
 *
 * <p>A Flink POJO (record). The array is not copied: treat it as immutable.
 *
 * @param key the header's key
 * @param value its value bytes, or null when it has none
 */
public record RecordHeader(String key, byte[] value) {
    public RecordHeader {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "RecordHeader["
                + key
                + ", "
                + (value == null ? "no value" : value.length + " bytes")
                + "]";
    }
}
