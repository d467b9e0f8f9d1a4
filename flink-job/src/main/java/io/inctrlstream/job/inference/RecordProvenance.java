package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * Where a frame's input record came from, and the start of its value: what a dead letter of the
 * record needs, should its image turn out not to decode in the inference backend (the decode stage
 * only checks what the record declares). Set by the decode stage; travels with the frame through
 * the inference operator (and its checkpoints) into the frame's FAILED score.
 *
 * <p>Only the first bytes of the value are kept (the dead-letter maximum), since the frame already
 * holds its image: the rest of the record is not carried twice. A Flink POJO (record). The arrays
 * are not copied: treat them as immutable.
 *
 * @param topic the topic the record was read from
 * @param partition its partition
 * @param offset its offset in the partition
 * @param key its key bytes, or null when it had none
 * @param valuePrefix the first bytes of its value, at most the dead-letter maximum
 * @param valueSize the full size of its value, in bytes
 * @param receivedTimeMillis when the job received it (the decode stage's processing time)
 */
public record RecordProvenance(
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] valuePrefix,
        int valueSize,
        long receivedTimeMillis) {
    public RecordProvenance {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(valuePrefix, "valuePrefix");
        if (valuePrefix.length > valueSize) {
            throw new IllegalArgumentException(
                    "a value prefix cannot be longer than the value, found "
                            + valuePrefix.length
                            + " bytes of "
                            + valueSize);
        }
    }

    /** Whether the value was cut, i.e. {@link #valuePrefix()} is not the whole value. */
    public boolean truncated() {
        return valuePrefix.length < valueSize;
    }

    @Override
    public String toString() {
        return "RecordProvenance["
                + topic
                + "-"
                + partition
                + "@"
                + offset
                + ", key "
                + (key == null ? "none" : key.length + " bytes")
                + ", value "
                + valuePrefix.length
                + " of "
                + valueSize
                + " bytes]";
    }
}
