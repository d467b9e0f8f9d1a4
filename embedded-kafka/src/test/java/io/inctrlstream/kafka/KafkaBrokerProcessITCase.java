package io.inctrlstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerProcessITCase {

    @Test
    void runsTheBrokerInAProcessOfItsOwnUntilClosed() throws Exception {
        KafkaBrokerProcess broker =
                KafkaBrokerProcess.builder()
                        .brokerProperty("message.max.bytes", "3000000")
                        .javaOptions(List.of("-Xmx256m"))
                        .build();
        long pid;
        Path logDirectory;
        try (broker) {
            broker.start();
            pid = broker.pid();
            logDirectory = broker.logDirectory();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(ProcessHandle.of(pid)).map(ProcessHandle::isAlive).contains(true);
            broker.createTopics(
                    Map.of("process-a", 2),
                    Map.of("process-a", Map.of("cleanup.policy", "compact")));

            Properties properties = new Properties();
            properties.put("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(properties)) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "process-a");
                Config config =
                        admin.describeConfigs(Set.of(topic))
                                .all()
                                .get(30, TimeUnit.SECONDS)
                                .get(topic);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
                ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "0");
                assertThat(admin.describeConfigs(Set.of(node)).all().get(30, TimeUnit.SECONDS))
                        .isNotEmpty();
            }
            assertThat(roundTrip(broker.bootstrapServers(), "process-a")).containsExactly("v1");
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(logDirectory).doesNotExist();
        assertThatThrownBy(broker::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "expected a running broker process for bootstrapServers(), found one that"
                                + " is closed");
        broker.close(); // again: nothing
    }

    @Test
    void refusesSettingsTheBrokerOwnsAndAProcessThatCannotStart() throws Exception {
        assertThatThrownBy(
                        () -> KafkaBrokerProcess.builder().brokerProperty("node.id", "7").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found 'node.id'");
        assertThatThrownBy(() -> KafkaBrokerProcess.builder().startTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a positive start timeout, found PT0S");
        try (KafkaBrokerProcess broken =
                KafkaBrokerProcess.builder()
                        .brokerProperty("message.max.bytes", "not-a-number")
                        .build()) {
            assertThatThrownBy(broken::start)
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("the Kafka broker process was not ready after")
                    .hasMessageContaining("message.max.bytes");
        }
    }

    private static List<String> roundTrip(String servers, String topic) throws Exception {
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (KafkaProducer<String, String> sender =
                new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
            sender.send(new ProducerRecord<>(topic, "k", "v1")).get(30, TimeUnit.SECONDS);
        }
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "process-test");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> reader =
                new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
            reader.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
