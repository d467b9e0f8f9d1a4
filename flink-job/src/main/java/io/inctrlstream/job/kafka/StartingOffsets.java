package io.inctrlstream.job.kafka;

/**
 * Where a Kafka source of the job starts reading when it does not resume from a checkpoint or
 * savepoint (which always carries its own offsets). "Committed" means the consumer group's
 * committed offset of the partition; the job commits its offsets on every completed checkpoint.
 */
public enum StartingOffsets {
    /** The group's committed offset, else the end of the partition: only records written later. */
    COMMITTED_OR_LATEST,
    /** The group's committed offset, else the beginning of the partition. */
    COMMITTED_OR_EARLIEST,
    /** The beginning of each partition, whatever the group committed. */
    EARLIEST,
    /** The end of each partition, whatever the group committed. */
    LATEST
}
