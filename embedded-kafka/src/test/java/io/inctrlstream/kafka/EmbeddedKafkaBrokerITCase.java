package io.inctrlstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerITCase {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker broker;
    private static Path brokerDirectory;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = EmbeddedKafkaBroker.builder().build();
        broker.start();
        brokerDirectory = broker.logDirectory();
    }

    @AfterAll
    static void stopBroker() throws IOException {
        broker.close();
        assertThat(brokerDirectory).doesNotExist();
    }

    @Test
    void listensOnLocalhostAndCreatesTopicsWithTheirPartitions() throws Exception {
        assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + broker.port());
        broker.createTopics(Map.of("created-a", 3, "created-b", 1));
        broker.createTopics(Map.of("created-a", 3)); // existing: left as it is

        try (Admin admin = Admin.create(clientProperties())) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(Set.of("created-a", "created-b"))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS);
            assertThat(topics.get("created-a").partitions()).hasSize(3);
            assertThat(topics.get("created-b").partitions()).hasSize(1);
        }
    }

    @Test
    void createsTopicsWithTheSettingsGiven() throws Exception {
        broker.createTopics(
                Map.of("compacted-a", 1, "plain-b", 1),
                Map.of(
                        "compacted-a",
                        Map.of("cleanup.policy", "compact", "max.message.bytes", "5000000")));

        try (Admin admin = Admin.create(clientProperties())) {
            ConfigResource compacted = new ConfigResource(ConfigResource.Type.TOPIC, "compacted-a");
            ConfigResource plain = new ConfigResource(ConfigResource.Type.TOPIC, "plain-b");
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(compacted, plain))
                            .all()
                            .get(30, TimeUnit.SECONDS);
            assertThat(configs.get(compacted).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(compacted).get("max.message.bytes").value())
                    .isEqualTo("5000000");
            assertThat(configs.get(plain).get("cleanup.policy").value()).isEqualTo("delete");
        }
        assertThatThrownBy(
                        () ->
                                broker.createTopics(
                                        Map.of("x", 1),
                                        Map.of("y", Map.of("cleanup.policy", "compact"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "expected settings only for topics to create [x], found settings for 'y'");
    }

    @Test
    void aGroupConsumerReadsWhatAProducerWrote() throws Exception {
        String topic = "plain-" + UUID.randomUUID();
        broker.createTopics(Map.of(topic, 2));
        List<String> sent = List.of("a", "b", "c", "d", "e");
        try (KafkaProducer<String, String> producer = producer(null)) {
            for (String value : sent) {
                producer.send(new ProducerRecord<>(topic, "key-" + value, value)).get();
            }
        }

        List<String> received = consume(topic, "read_uncommitted", sent.size());
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void aReadCommittedConsumerSeesCommittedTransactionsOnly() throws Exception {
        String topic = "tx-" + UUID.randomUUID();
        broker.createTopics(Map.of(topic, 1));
        try (KafkaProducer<String, String> producer = producer("tx-" + UUID.randomUUID())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-3"));
            producer.commitTransaction();
        }

        assertThat(consume(topic, "read_committed", 3))
                .containsExactly("committed-1", "committed-2", "committed-3");
        assertThat(consume(topic, "read_uncommitted", 4))
                .containsExactly("committed-1", "committed-2", "aborted", "committed-3");
    }

    @Test
    void aFixedPortAndAGivenLogDirectoryAreUsedAndTheDirectoryIsKept(@TempDir Path tempDir)
            throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        Path directory = tempDir.resolve("kafka-logs");
        try (EmbeddedKafkaBroker second =
                EmbeddedKafkaBroker.builder().logDirectory(directory).port(freePort).build()) {
            second.start();
            assertThat(second.bootstrapServers()).isEqualTo("localhost:" + freePort);
            assertThat(second.logDirectory()).isEqualTo(directory);
        }
        try (var entries = Files.list(directory)) {
            assertThat(entries).isNotEmpty();
        }
    }

    private static List<String> consume(String topic, String isolation, int expected) {
        Properties properties = clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(DEADLINE);
            while (values.size() < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            // A last poll shows that nothing beyond the expected records is there.
            consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        Properties properties = clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static Properties clientProperties() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", broker.bootstrapServers());
        return properties;
    }
}
