package io.inctrlstream.kafka.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topic creation on a single-node broker (replication factor 1), waiting until every partition has
 * a leader: shared by the in-JVM broker and the broker process.
 */
public final class SingleNodeTopics {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private SingleNodeTopics() {}

    /** See {@link io.inctrlstream.kafka.SingleNodeKafka#createTopics(Map, Map)}. */
    public static void create(
            String servers,
            Map<String, Integer> partitionsByTopic,
            Map<String, Map<String, String>> configsByTopic)
            throws IOException {
        Objects.requireNonNull(partitionsByTopic, "partitionsByTopic");
        Objects.requireNonNull(configsByTopic, "configsByTopic");
        for (String topic : configsByTopic.keySet()) {
            if (!partitionsByTopic.containsKey(topic)) {
                throw new IllegalArgumentException(
                        "expected settings only for topics to create "
                                + partitionsByTopic.keySet()
                                + ", found settings for '"
                                + topic
                                + "'");
            }
        }
        partitionsByTopic.forEach(
                (topic, partitions) -> {
                    if (topic == null || topic.isBlank()) {
                        throw new IllegalArgumentException(
                                "expected a non-blank topic name, found '" + topic + "'");
                    }
                    if (partitions == null || partitions < 1) {
                        throw new IllegalArgumentException(
                                "expected at least 1 partition for topic '"
                                        + topic
                                        + "', found "
                                        + partitions);
                    }
                });
        try (Admin admin = Admin.create(adminProperties(servers))) {
            Set<String> existing =
                    admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> toCreate = new ArrayList<>();
            partitionsByTopic.forEach(
                    (topic, partitions) -> {
                        if (!existing.contains(topic)) {
                            toCreate.add(
                                    new NewTopic(topic, partitions, (short) 1)
                                            .configs(configsByTopic.getOrDefault(topic, Map.of())));
                        }
                    });
            if (!toCreate.isEmpty()) {
                admin.createTopics(toCreate)
                        .all()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            awaitLeaders(admin, partitionsByTopic.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topics " + partitionsByTopic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(
                    "could not create topics " + partitionsByTopic + ": " + e.getMessage(), e);
        }
    }

    private static void awaitLeaders(Admin admin, Set<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Instant deadline = Instant.now().plus(ADMIN_TIMEOUT);
        while (true) {
            if (leadersKnown(admin, topics)) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException(
                        "partitions of "
                                + topics
                                + " still without a leader after "
                                + ADMIN_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Whether every partition of {@code topics} has a leader. A topic created a moment ago may be
     * unknown to the broker's metadata yet: that is "not yet", not an error.
     */
    private static boolean leadersKnown(Admin admin, Set<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> descriptions;
        try {
            descriptions =
                    admin.describeTopics(topics)
                            .allTopicNames()
                            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
        return descriptions.values().stream()
                .flatMap(description -> description.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(leader -> leader != null && !leader.isEmpty());
    }

    private static Properties adminProperties(String servers) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "inctrl-embedded-kafka-admin");
        return properties;
    }
}
