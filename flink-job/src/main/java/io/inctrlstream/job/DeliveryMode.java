package io.inctrlstream.job;

/** How the job's Kafka sinks deliver records. */
public enum DeliveryMode {
    /**
     * Every record is written at least once; after a failure and restore some are written again
     * (with the same deterministic ids, so consumers can deduplicate).
     */
    AT_LEAST_ONCE,
    /**
     * Records are written in Kafka transactions committed on checkpoints: consumers reading with
     * {@code isolation.level=read_committed} see each record once, one checkpoint interval late.
     */
    EXACTLY_ONCE
}
