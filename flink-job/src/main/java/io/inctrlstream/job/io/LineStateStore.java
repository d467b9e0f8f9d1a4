package io.inctrlstream.job.io;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where a job started without a checkpoint or savepoint finds the last applied state of its lines:
 * the records of the compacted line-state topic, keyed by line id (UTF-8), each value a {@code
 * LineState} record in Avro single-object encoding, or none (a tombstone: the line has no state).
 * Kafka in production ({@code KafkaInspectionSources.lineStates()}); in memory in tests.
 *
 * <p>Serializable: it travels with the job graph to the inference operator, which reads it in its
 * {@code initializeState}.
 */
public interface LineStateStore extends Serializable {
    /**
     * Hands every record the store holds to {@code visitor}, each key's records in the order they
     * were written (the last one of a key is its line's state), and returns once it has read up to
     * where the store ended when the call began: records written meanwhile may or may not be seen.
     *
     * @throws IOException if the store cannot be read (for Kafka: the topic is missing, or no
     *     record arrives in time), or the visitor failed
     */
    void readAll(Visitor visitor) throws IOException;

    /** Receives the records of {@link #readAll}. */
    @FunctionalInterface
    interface Visitor {
        /**
         * One record.
         *
         * @param key the line id in UTF-8; null for a record without key (not ours)
         * @param value the encoded {@code LineState}, or null for a tombstone
         */
        void record(byte[] key, byte[] value) throws IOException;
    }

    /** A store without records: a job started without a checkpoint starts with empty lines. */
    static LineStateStore empty() {
        return EmptyLineStateStore.INSTANCE;
    }
}
