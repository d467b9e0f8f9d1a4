package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * Where a record is in Kafka. A command carries its record's position on the control topic, so that
 * a line remembers the last command applied to it and a replay of commands it already answered (a
 * job started without a checkpoint reads control from the committed offsets, or the earliest) is
 * recognised and skipped. A Flink POJO (record).
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset in the partition
 */
public record RecordPosition(String topic, int partition, long offset) {
    public RecordPosition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException(
                    "a record position has a partition and offset of at least 0, found partition "
                            + partition
                            + " offset "
                            + offset);
        }
    }

    /**
     * Whether this record is at or before {@code other} in the same topic partition (positions of
     * different partitions are not ordered).
     */
    public boolean isAtOrBefore(RecordPosition other) {
        return other != null
                && topic.equals(other.topic)
                && partition == other.partition
                && offset <= other.offset;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
