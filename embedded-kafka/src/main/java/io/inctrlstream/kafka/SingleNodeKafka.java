package io.inctrlstream.kafka;

import io.inctrlstream.kafka.internal.SingleNodeTopics;
import java.io.IOException;
import java.util.Map;

/**
 * A running single-node Kafka broker on localhost, in this JVM ({@link EmbeddedKafkaBroker}) or in
 * a process of its own ({@link KafkaBrokerProcess}): what the demo, the soak and the benchmarks
 * need of it, whichever it is.
 */
public interface SingleNodeKafka extends AutoCloseable {
    /**
     * The {@code bootstrap.servers} value of the broker, {@code localhost:<port>}.
     *
     * @throws IllegalStateException if the broker is not running
     */
    String bootstrapServers();

    /**
     * Creates the topics (replication factor 1) that do not exist yet, those named in {@code
     * configsByTopic} with these topic settings, and waits until every partition of each has a
     * leader. An existing topic is left as it is.
     *
     * @param partitionsByTopic topic name to partition count (at least 1)
     * @param configsByTopic topic name to its settings; every name must be in {@code
     *     partitionsByTopic}
     * @throws IllegalArgumentException if a name is blank, a partition count below 1, or settings
     *     name a topic not created
     * @throws IllegalStateException if the broker is not running
     * @throws IOException if the broker refuses (e.g. an unknown setting) or does not answer
     */
    default void createTopics(
            Map<String, Integer> partitionsByTopic, Map<String, Map<String, String>> configsByTopic)
            throws IOException {
        SingleNodeTopics.create(bootstrapServers(), partitionsByTopic, configsByTopic);
    }

    /** Stops the broker; closing again does nothing. */
    @Override
    void close() throws IOException;
}
