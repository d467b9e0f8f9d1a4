package io.inctrlstream.launcher.internal.topics;

import java.util.Map;
import java.util.Objects;

/**
 * One topic as the inspection job needs it: name, partitions, replication factor and the topic
 * configs that matter ({@code cleanup.policy}, {@code min.insync.replicas}, {@code
 * max.message.bytes}, {@code retention.ms}).
 *
 * @param name the topic
 * @param role what the topic holds (frames, control, ...), for messages
 * @param partitions the partition count
 * @param replicationFactor the replication factor
 * @param configs the topic configs, by Kafka's names
 */
public record TopicSpec(
        String name,
        String role,
        int partitions,
        short replicationFactor,
        Map<String, String> configs) {
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String RETENTION_MS = "retention.ms";

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        configs = Map.copyOf(configs);
    }

    /** The largest record batch the topic accepts. */
    public long maxMessageBytes() {
        return Long.parseLong(configs.get(MAX_MESSAGE_BYTES));
    }
}
