package io.inctrlstream.launcher.internal.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TopicAdmin#check} against a real broker whose metadata lags: an admin client whose first
 * {@code unknownAnswers} describe calls say every topic is unknown, as a broker does for a moment
 * after the controller created a topic (a CI run of {@code TopicsCommandITCase} saw a second {@code
 * topics create} report all seven topics "missing" that the first had just created).
 */
@ExtendWith(SharedKafka.class)
class TopicAdminITCase {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void useTheSharedBroker(EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    /** Answers "unknown topic" to the first {@code unknownAnswers} describe calls. */
    private static final class LaggingMetadataAdmin extends ForwardingAdmin {
        final AtomicInteger describeCalls = new AtomicInteger();
        private final int unknownAnswers;

        LaggingMetadataAdmin(int unknownAnswers) {
            super(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
            this.unknownAnswers = unknownAnswers;
        }

        @Override
        public DescribeTopicsResult describeTopics(
                TopicCollection topics, DescribeTopicsOptions options) {
            if (describeCalls.incrementAndGet() > unknownAnswers) {
                return super.describeTopics(topics, options);
            }
            Map<String, KafkaFuture<TopicDescription>> unknown = new LinkedHashMap<>();
            for (String name : ((TopicCollection.TopicNameCollection) topics).topicNames()) {
                KafkaFutureImpl<TopicDescription> future = new KafkaFutureImpl<>();
                future.completeExceptionally(new UnknownTopicOrPartitionException(name));
                unknown.put(name, future);
            }
            return new DescribeTopicsResult(null, unknown) {};
        }
    }

    private static List<TopicSpec> specs(String prefix) {
        return List.of(
                new TopicSpec(prefix + "a", "a", 2, (short) 1, Map.of("retention.ms", "60000")),
                new TopicSpec(prefix + "b", "b", 1, (short) 1, Map.of()));
    }

    @Test
    void topicsTheClusterSaidExistAreAskedForAgainUntilTheMetadataShowsThem() throws Exception {
        List<TopicSpec> specs = specs("lag.");
        LaggingMetadataAdmin lagging = new LaggingMetadataAdmin(3);
        try (TopicAdmin admin = new TopicAdmin(lagging, Duration.ofSeconds(30))) {
            assertThat(admin.createMissing(specs)).containsExactlyInAnyOrder("lag.a", "lag.b");

            Map<String, List<String>> differences = admin.check(specs, List.of("lag.a", "lag.b"));

            assertThat(differences).containsOnlyKeys("lag.a", "lag.b");
            assertThat(differences.values()).allMatch(List::isEmpty);
            assertThat(lagging.describeCalls).hasValue(4);
        }
    }

    @Test
    void aTopicNotKnownToExistIsMissingAtOnce() throws Exception {
        List<TopicSpec> specs = specs("absent.");
        LaggingMetadataAdmin lagging = new LaggingMetadataAdmin(0);
        try (TopicAdmin admin = new TopicAdmin(lagging, Duration.ofSeconds(30))) {
            Map<String, List<String>> differences = admin.check(specs);

            assertThat(differences)
                    .containsEntry("absent.a", List.of("missing"))
                    .containsEntry("absent.b", List.of("missing"));
            assertThat(lagging.describeCalls).hasValue(1);
        }
    }

    @Test
    void metadataThatNeverShowsATopicIsReportedAfterTheWait() throws Exception {
        List<TopicSpec> specs = specs("never.");
        LaggingMetadataAdmin lagging = new LaggingMetadataAdmin(Integer.MAX_VALUE);
        try (TopicAdmin admin = new TopicAdmin(lagging, Duration.ofMillis(300))) {
            admin.createMissing(specs);

            Map<String, List<String>> differences =
                    admin.check(specs, List.of("never.a", "never.b"));

            assertThat(differences.get("never.a"))
                    .containsExactly(
                            "missing from the cluster's metadata 300 ms after the cluster said it"
                                    + " exists");
            assertThat(lagging.describeCalls.get()).isGreaterThan(1);
        }
    }
}
