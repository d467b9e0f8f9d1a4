package io.inctrlstream.it;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Creates the seven topics of one test (the line-state topic compacted, for whole banks), with a
 * name prefix of their own so that tests sharing the broker never read each other's records. Every
 * topic has {@link #PARTITIONS} partitions, so that two lines can land on different partitions and
 * source subtasks.
 */
final class TestTopics {
    static final int PARTITIONS = 2;

    private TestTopics() {}

    /** Creates the topics of a test named {@code name} (a unique suffix is added). */
    static InspectionTopics create(EmbeddedKafkaBroker broker, String name) throws IOException {
        return createWithPrefix(
                broker, name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".");
    }

    /** Creates (where missing) the topics named with exactly this prefix. */
    static InspectionTopics createWithPrefix(EmbeddedKafkaBroker broker, String prefix)
            throws IOException {
        InspectionTopics topics = InspectionTopics.withPrefix(prefix);
        broker.createTopics(
                topics.withPartitions(PARTITIONS),
                Map.of(
                        topics.lineState(),
                        InspectionTopics.lineStateTopicConfig(
                                InspectionJobOptions.LINE_STATE_MAX_RECORD_BYTES
                                        .defaultValue()
                                        .getBytes())));
        return topics;
    }
}
