package io.inctrlstream.launcher.internal.topics;

import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the job's topics on a Kafka cluster and checks existing ones against their {@link
 * TopicSpec}: partitions and replication factor exactly, {@code cleanup.policy}, {@code
 * min.insync.replicas} and {@code retention.ms} exactly, {@code max.message.bytes} at least.
 */
public final class TopicAdmin implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    /**
     * How long {@link #check} waits for a topic the cluster said exists to show in its metadata: a
     * broker's metadata follows the controller's, so a topic just created (or reported as existing)
     * can be unknown to the broker that answers for a moment.
     */
    public static final Duration DEFAULT_METADATA_WAIT = Duration.ofSeconds(10);

    private static final long RETRY_PAUSE_MILLIS = 100;

    private final Admin admin;
    private final Duration metadataWait;

    public TopicAdmin(KafkaClientSettings settings) {
        this(Admin.create(settings.admin("inctrl-topics")), DEFAULT_METADATA_WAIT);
    }

    /** Over an admin client it then owns (closes). */
    public TopicAdmin(Admin admin, Duration metadataWait) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.metadataWait = Objects.requireNonNull(metadataWait, "metadataWait");
    }

    /**
     * Creates the topics that do not exist yet.
     *
     * @return the names of the topics created
     */
    public List<String> createMissing(List<TopicSpec> specs) throws Exception {
        List<String> created = new ArrayList<>();
        Map<String, KafkaFuture<Void>> results = new LinkedHashMap<>();
        List<NewTopic> topics = new ArrayList<>();
        for (TopicSpec spec : specs) {
            topics.add(
                    new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                            .configs(spec.configs()));
        }
        admin.createTopics(topics).values().forEach(results::put);
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                await(result.getValue());
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create topic "
                                    + result.getKey()
                                    + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            }
        }
        return created;
    }

    /**
     * What differs between each topic on the cluster and its spec.
     *
     * @return per topic, in the order of {@code specs}, its differences (empty: it matches)
     */
    public Map<String, List<String>> check(List<TopicSpec> specs) throws Exception {
        return check(specs, Set.of());
    }

    /**
     * {@link #check(List)}, where the topics named in {@code knownToExist} (those {@link
     * #createMissing} created or found) that the cluster's metadata does not show yet are asked for
     * again, for up to the metadata wait, before they count as missing.
     */
    public Map<String, List<String>> check(List<TopicSpec> specs, Collection<String> knownToExist)
            throws Exception {
        Map<String, List<String>> differences = new LinkedHashMap<>();
        Map<String, TopicDescription> described = new LinkedHashMap<>();
        List<String> pending = specs.stream().map(TopicSpec::name).toList();
        long deadline = System.nanoTime() + metadataWait.toNanos();
        while (true) {
            List<String> unknown = describe(pending, described);
            pending = unknown.stream().filter(knownToExist::contains).toList();
            if (pending.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
        List<ConfigResource> existing = new ArrayList<>();
        for (String name : described.keySet()) {
            existing.add(new ConfigResource(ConfigResource.Type.TOPIC, name));
        }
        Map<ConfigResource, Config> configs =
                existing.isEmpty() ? Map.of() : await(admin.describeConfigs(existing).all());
        for (TopicSpec spec : specs) {
            TopicDescription description = described.get(spec.name());
            if (description == null) {
                differences.put(
                        spec.name(),
                        List.of(
                                knownToExist.contains(spec.name())
                                        ? "missing from the cluster's metadata "
                                                + metadataWait.toMillis()
                                                + " ms after the cluster said it exists"
                                        : "missing"));
                continue;
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            differences.put(spec.name(), differences(spec, description, config));
        }
        return differences;
    }

    /** Describes {@code names} into {@code described}; returns those the cluster does not know. */
    private List<String> describe(List<String> names, Map<String, TopicDescription> described)
            throws Exception {
        Map<String, KafkaFuture<TopicDescription>> descriptions =
                admin.describeTopics(names).topicNameValues();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            try {
                described.put(name, await(descriptions.get(name)));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException(
                            "cannot describe topic " + name + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
                unknown.add(name);
            }
        }
        return unknown;
    }

    private static List<String> differences(
            TopicSpec spec, TopicDescription description, Config config) {
        List<String> found = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != spec.partitions()) {
            found.add("partitions " + partitions + ", expected " + spec.partitions());
        }
        for (TopicPartitionInfo partition : description.partitions()) {
            int replicas = partition.replicas().size();
            if (replicas != spec.replicationFactor()) {
                found.add(
                        "replication factor "
                                + replicas
                                + " (partition "
                                + partition.partition()
                                + "), expected "
                                + spec.replicationFactor());
                break;
            }
        }
        for (Map.Entry<String, String> expected : spec.configs().entrySet()) {
            ConfigEntry entry = config.get(expected.getKey());
            String actual = entry == null ? null : entry.value();
            if (expected.getKey().equals(TopicSpec.MAX_MESSAGE_BYTES)) {
                if (actual == null || Long.parseLong(actual) < spec.maxMessageBytes()) {
                    found.add(
                            TopicSpec.MAX_MESSAGE_BYTES
                                    + " "
                                    + actual
                                    + ", expected at least "
                                    + expected.getValue());
                }
            } else if (!expected.getValue().equals(actual)) {
                found.add(expected.getKey() + " " + actual + ", expected " + expected.getValue());
            }
        }
        return found;
    }

    private static <T> T await(KafkaFuture<T> future)
            throws ExecutionException, InterruptedException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "no answer from Kafka within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
