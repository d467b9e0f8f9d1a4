package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.job.kafka.KafkaNotReadyException;
import io.inctrlstream.job.kafka.KafkaStartupCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kafka's scripts on a real broker with SASL/SCRAM and Kafka's authorizer: users.sh,
 * topics.sh and acls.sh run Kafka's own tools (kafka-configs, kafka-topics, kafka-acls) with the
 * admin's credentials from a file; then each principal logs in with its credentials read from a
 * mounted-secret style folder by Kafka's DirectoryConfigProvider (never in the settings or on a
 * command line). A camera may write frames but not control, and its error names the control topic;
 * the job's principal passes the job's start-up check, reads frames in its consumer group and
 * writes scores in a transaction with its transactional-id prefix, but may not write control; only
 * the control plane writes control; the start-up check with a camera's credentials names every
 * topic it is denied.
 */
@Timeout(300)
class KafkaAclITCase {
    private static final Path SCRIPTS = Path.of("..", "deploy", "kafka").toAbsolutePath();
    private static final String JOB = "inctrl-job";
    private static final String CAMERA = "inctrl-camera";
    private static final String CONTROL = "inctrl-control-plane";

    @TempDir Path work;

    @Test
    void theScriptsAclsLetEachPrincipalDoItsPartOnly() throws Exception {
        try (SaslKafkaBroker broker = SaslKafkaBroker.start(work.resolve("kafka"))) {
            Path secrets = Files.createDirectories(work.resolve("secrets"));
            Map<String, String> passwords = new HashMap<>();
            for (String user : List.of(JOB, CAMERA, CONTROL)) {
                String password = Uuid.randomUuid().toString();
                passwords.put(user, password);
                secretFile(secrets.resolve(user + ".password"), password + "\n");
                // As Strimzi's user secret mounted as files: the key sasl.jaas.config.
                secretFile(
                        Files.createDirectories(secrets.resolve(user)).resolve("sasl.jaas.config"),
                        SaslKafkaBroker.jaas(user, password));
            }
            for (String script : List.of("users.sh", "topics.sh", "acls.sh")) {
                script(broker, secrets, script);
            }

            InspectionTopics topics = InspectionTopics.withPrefix("");
            Map<String, String> job = clientProperties(secrets, JOB);
            Map<String, String> camera = clientProperties(secrets, CAMERA);
            Map<String, String> control = clientProperties(secrets, CONTROL);
            String servers = broker.bootstrapServers();

            // Cameras write frames, not control; the error names the topic.
            send(servers, camera, null, topics.frames(), "frame-1");
            assertThatThrownBy(() -> send(servers, camera, null, topics.control(), "forged"))
                    .hasCauseInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(topics.control());
            // The control plane writes control and reads the control events.
            send(servers, control, null, topics.control(), "command-1");
            assertThat(readAll(servers, control, null, topics.controlEvents())).isEmpty();

            // The job: the start-up check, its group, its transactions; no write to control.
            // With the line-state topic's settings: compacted, and the job's largest line state
            // (its defaults) fits.
            new KafkaStartupCheck(servers, job, Duration.ofSeconds(30))
                    .check(
                            topics.all(),
                            topics.lineState(),
                            InspectionTopics.largestLineStateRecord(new Configuration()));
            assertThat(readAll(servers, job, "inctrl-inspection", topics.frames()))
                    .containsExactly("frame-1");
            assertThat(readAll(servers, job, "inctrl-inspection", topics.control()))
                    .containsExactly("command-1");
            send(servers, job, "inctrl-inspection-0-1", topics.scores(), "score-1");
            // After a restore the sinks' committers ask the coordinator about the restored
            // transactions (RecoveredTransactionsCommitter): the job's ACLs allow it.
            assertThat(transactionState(servers, job, "inctrl-inspection-0-1"))
                    .isIn(TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT);
            assertThatThrownBy(() -> transactionState(servers, camera, "inctrl-inspection-0-1"))
                    .as("a camera may not see the job's transactions")
                    .hasCauseInstanceOf(TransactionalIdAuthorizationException.class);
            assertThat(readAll(servers, job, null, topics.lineState())).isEmpty();
            assertThatThrownBy(() -> send(servers, job, null, topics.control(), "forged"))
                    .hasCauseInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(topics.control());

            // A job started with a camera's credentials is refused before it runs, naming
            // every topic the principal may not use.
            KafkaNotReadyException refused =
                    catchThrowableOfType(
                            KafkaNotReadyException.class,
                            () ->
                                    new KafkaStartupCheck(servers, camera, Duration.ofSeconds(30))
                                            .check(topics.all()));
            Matcher denied =
                    Pattern.compile("does not let the job describe topics ([^(]+) \\(")
                            .matcher(refused.getMessage());
            assertThat(denied.find()).as(refused.getMessage()).isTrue();
            assertThat(denied.group(1).split(", "))
                    .containsExactlyInAnyOrder(
                            topics.control(),
                            topics.scores(),
                            topics.alerts(),
                            topics.controlEvents(),
                            topics.deadLetters(),
                            topics.lineState());
        }
    }

    private void script(SaslKafkaBroker broker, Path secrets, String name) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder("bash", SCRIPTS.resolve(name).toString())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve(name + ".out").toFile());
        builder.environment().put("KAFKA_BIN", broker.toolsBin().toString());
        builder.environment().put("BOOTSTRAP_SERVER", broker.bootstrapServers());
        builder.environment().put("COMMAND_CONFIG", broker.adminConfig().toString());
        builder.environment().put("SECRETS_DIR", secrets.toString());
        // One broker: one replica.
        builder.environment().put("REPLICATION_FACTOR", "1");
        builder.environment().put("MIN_INSYNC_REPLICAS", "1");
        builder.environment().put("PARTITIONS", "2");
        long started = System.nanoTime();
        Process process = builder.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as(name + " ended").isTrue();
        assertThat(process.exitValue())
                .as(name + ": " + Files.readString(work.resolve(name + ".out")))
                .isZero();
        System.out.printf(
                "%s took %d ms%n",
                name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** A principal's client settings: its JAAS line read from its secret folder by Kafka. */
    private static Map<String, String> clientProperties(Path secrets, String user) {
        Map<String, String> properties = new HashMap<>();
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", SaslKafkaBroker.MECHANISM);
        properties.put("config.providers", "dir");
        properties.put(
                "config.providers.dir.class",
                "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        properties.put("config.providers.dir.param.allowed.paths", secrets.toString());
        properties.put("sasl.jaas.config", "${dir:" + secrets.resolve(user) + ":sasl.jaas.config}");
        return properties;
    }

    private static void secretFile(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static TransactionState transactionState(
            String servers, Map<String, String> client, String transactionalId) throws Exception {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(properties)) {
            return admin.describeTransactions(Set.of(transactionalId))
                    .description(transactionalId)
                    .get(30, TimeUnit.SECONDS)
                    .state();
        }
    }

    private static void send(
            String servers,
            Map<String, String> client,
            String transactionalId,
            String topic,
            String value)
            throws Exception {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        if (transactionalId != null) {
            properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            if (transactionalId != null) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            try {
                producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new ExecutionException(
                        "writing to " + topic + " failed: " + e.getCause().getMessage(),
                        e.getCause());
            }
            if (transactionalId != null) {
                producer.commitTransaction();
            }
        }
    }

    /**
     * Reads every record of the topic: with a consumer group (subscribe) when {@code group} is
     * given, else by assigning the partitions.
     */
    private static List<String> readAll(
            String servers, Map<String, String> client, String group, String topic) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (group != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(20)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, Long> ends =
                    consumer.endOffsets(partitions, Duration.ofSeconds(20));
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
            }
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
                boolean atEnd =
                        consumer.assignment().size() == partitions.size()
                                && partitions.stream()
                                        .allMatch(p -> consumer.position(p) >= ends.get(p));
                if (atEnd) {
                    if (group != null) {
                        consumer.commitSync(Duration.ofSeconds(20));
                    }
                    return values;
                }
            }
        }
        throw new AssertionError(
                "could not read " + topic + " to its end within 60 s; read " + values);
    }
}
