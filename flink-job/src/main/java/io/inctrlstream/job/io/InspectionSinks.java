package io.inctrlstream.job.io;

import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the job's outputs go: Kafka in production ({@code
 * io.inctrlstream.job.kafka.KafkaInspectionSinks}); collecting sinks in tests. Records arrive keyed
 * by line and already encoded.
 */
@FunctionalInterface
public interface InspectionSinks {
    /**
     * Attaches the sink of {@code topic} to {@code records}. Give stateful sinks a uid derived from
     * {@link OutputTopic#id()} so that their state survives job upgrades.
     */
    void write(OutputTopic topic, DataStream<OutboundRecord> records);
}
