package io.inctrlstream.job.io;

import java.util.List;
import java.util.Objects;

/**
 * One input record exactly as it arrived, with where it came from: the job's sources emit these
 * without interpreting the bytes, so that a record that is not one of ours can never fail a source
 * (and restart the job). Decoding and validation happen in the job, which turns every failure into
 * a dead letter naming this provenance.
 *
 * <p>A Flink POJO (record). The arrays are not copied: treat them as immutable.
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset in the partition
 * @param key its key bytes, or null when it had none
 * @param value its value bytes; never null (a Kafka tombstone arrives as an empty array)
 * @param timestampMillis the record's timestamp (Kafka's create or log-append time), epoch ms
 * @param headers its headers, in order (never null; empty when it had none)
 */
public record RawRecord(
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] value,
        long timestampMillis,
        List<RecordHeader> headers) {
    private static final byte[] EMPTY = new byte[0];

    public RawRecord {
        Objects.requireNonNull(topic, "topic");
        value = value == null ? EMPTY : value;
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** A record without headers. */
    public RawRecord(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            long timestampMillis) {
        this(topic, partition, offset, key, value, timestampMillis, List.of());
    }

    @Override
    public String toString() {
        return "RawRecord["
                + topic
                + "-"
                + partition
                + "@"
                + offset
                + ", key "
                + (key == null ? "none" : key.length + " bytes")
                + ", value "
                + value.length
                + " bytes"
                + (headers.isEmpty() ? "" : ", " + headers.size() + " headers")
                + "]";
    }
}
