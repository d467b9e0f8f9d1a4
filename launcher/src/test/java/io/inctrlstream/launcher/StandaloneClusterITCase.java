package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.ImageBytes;
import io.inctrlstream.launcher.images.Product;
import io.inctrlstream.launcher.images.ProductImageGenerator;
import io.inctrlstream.launcher.internal.BundleLocator;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.codec.AvroCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The job jar on production-like engines, every component its own process: a Flink standalone
 * session cluster (a JobManager and two TaskManagers) and a three-broker KRaft Kafka cluster
 * (replication factor 3, min.insync.replicas 2), topics made by {@code inctrl topics create}, the
 * job submitted by {@code inctrl run --jobmanager} in EXACTLY_ONCE mode. While frames of three
 * lines stream, one TaskManager is killed (SIGKILL), later one Kafka broker. A read-committed
 * consumer then sees every frame scored exactly once against its line's shots. Then {@code inctrl
 * stop --savepoint} and a resubmission from the savepoint (an upgrade): the frames sent meanwhile
 * and after are scored once each, against the same shots.
 */
@Timeout(900)
class StandaloneClusterITCase {
    private static final Path JOB_JAR = Path.of("..", "flink-job", "target", "inctrl-job.jar");
    private static final List<String> LINES = List.of("line-s1", "line-s2", "line-s3");
    private static final String PREFIX = "standalone.";

    /** In the build folder, so that the processes' logs are there after a failure. */
    private final Path work = Path.of("target", "standalone-cluster-it").toAbsolutePath();

    private int sample;

    @Test
    void survivesATaskManagerAndABrokerKilledAndAnUpgradeThroughASavepoint() throws Exception {
        assertThat(JOB_JAR).as("the job jar (flink-job's package phase)").isRegularFile();
        deleteRecursively(work);
        try (KafkaClusterProcesses kafka = KafkaClusterProcesses.start(work.resolve("kafka"), 3);
                FlinkStandaloneCluster flink =
                        FlinkStandaloneCluster.start(work.resolve("flink"), 2, 2)) {
            run(kafka, flink);
        }
    }

    private void run(KafkaClusterProcesses kafka, FlinkStandaloneCluster flink) throws Exception {
        String servers = kafka.bootstrapServers();
        String[] kafkaOptions = {"--bootstrap-servers", servers, "--topic-prefix", PREFIX};
        String tiny = BundleLocator.tinyBundle().toString();
        expectSuccess(
                cli(
                        kafkaOptions,
                        "topics",
                        "create",
                        "--model",
                        tiny,
                        "--replication-factor",
                        "3",
                        "--min-insync-replicas",
                        "2",
                        "--partitions",
                        "2"));
        String[] submit = {
            "run",
            "--jobmanager",
            flink.restUrl(),
            "--job-jar",
            JOB_JAR.toString(),
            "--model",
            tiny,
            "--parallelism",
            "2",
            "--delivery-guarantee",
            "EXACTLY_ONCE",
            "-Dinctrl.inference.intra-op-threads=1",
            "-Dinctrl.state.backend=HASHMAP",
            "-Dinctrl.checkpoint.interval=1s",
            "-Dinctrl.sink.transactional-id-prefix=standalone"
        };
        expectSuccess(cli(kafkaOptions, submit));
        for (String line : LINES) {
            expectSuccess(
                    cli(
                            kafkaOptions,
                            concat(
                                    new String[] {
                                        "shots", "set", "--line", line, "--timeout", "180s"
                                    },
                                    paths(images(2, line + "-shot")))));
        }

        int sent = 0;
        int killedTaskManager = -1;
        for (int round = 0; round < 6; round++) {
            sent += sendRound(kafkaOptions, "round-" + round);
            if (round == 1) {
                awaitScores(servers, sent);
                killedTaskManager = taskManagerWithTasks(flink);
                flink.killTaskManager(killedTaskManager);
            } else if (round == 3) {
                kafka.kill(2);
            }
        }
        List<AnomalyScore> before = awaitScores(servers, sent);
        assertExactlyOnceAgainstOneBankPerLine(before, sent);
        assertThat(exceptionHistory(flink))
                .as("the job's failures (it recovered from the lost TaskManager's tasks)")
                .contains(FlinkStandaloneCluster.TASK_MANAGER_PREFIX + killedTaskManager);
        Map<String, String> banks = banks(before);

        CliRun stop =
                CliRun.of(
                        "stop",
                        "--jobmanager",
                        flink.restUrl(),
                        "--savepoint",
                        work.resolve("savepoints").toUri().toString());
        expectSuccess(stop);
        Matcher savepoint = Pattern.compile("stopped with savepoint (\\S+)").matcher(stop.out());
        assertThat(savepoint.find()).as(stop.out()).isTrue();
        sent += sendRound(kafkaOptions, "while-stopped");
        expectSuccess(
                cli(
                        kafkaOptions,
                        concat(submit, new String[] {"--from-savepoint", savepoint.group(1)})));
        sent += sendRound(kafkaOptions, "after-upgrade");
        List<AnomalyScore> all = awaitScores(servers, sent);
        assertExactlyOnceAgainstOneBankPerLine(all, sent);
        assertThat(banks(all)).as("every line's shots after the upgrade").isEqualTo(banks);
    }

    /** The index of a TaskManager that runs tasks of the job (a slot of it is taken). */
    private static int taskManagerWithTasks(FlinkStandaloneCluster flink) throws Exception {
        JsonNode taskManagers =
                get(HttpClient.newHttpClient(), flink.restUrl() + "/taskmanagers")
                        .path("taskmanagers");
        for (JsonNode taskManager : taskManagers) {
            if (taskManager.path("freeSlots").asInt() < taskManager.path("slotsNumber").asInt()) {
                return Integer.parseInt(
                        taskManager
                                .path("id")
                                .asText()
                                .substring(FlinkStandaloneCluster.TASK_MANAGER_PREFIX.length()));
            }
        }
        throw new AssertionError("no TaskManager runs tasks: " + taskManagers);
    }

    /** The running job's exception history (its failures and where they happened), as text. */
    private static String exceptionHistory(FlinkStandaloneCluster flink) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode jobs = get(http, flink.restUrl() + "/jobs/overview").path("jobs");
        String running = null;
        for (JsonNode job : jobs) {
            if (job.path("state").asText().equals("RUNNING")) {
                running = job.path("jid").asText();
            }
        }
        assertThat(running).as("a running job in " + jobs).isNotNull();
        return get(http, flink.restUrl() + "/jobs/" + running + "/exceptions")
                .path("exceptionHistory")
                .toString();
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static void assertExactlyOnceAgainstOneBankPerLine(
            List<AnomalyScore> scores, int sent) {
        assertThat(scores).hasSize(sent);
        assertThat(scores).extracting(AnomalyScore::getScoreId).doesNotHaveDuplicates();
        assertThat(scores)
                .allSatisfy(score -> assertThat(score.getStatus()).isEqualTo(ScoreStatus.SCORED));
        assertThat(banks(scores)).containsOnlyKeys(LINES);
    }

    /** Each line's one shots version and bank hash (fails if a line has two). */
    private static Map<String, String> banks(List<AnomalyScore> scores) {
        return scores.stream()
                .collect(
                        Collectors.toMap(
                                score -> score.getLineId().toString(),
                                score -> score.getShotsVersion() + "/" + score.getShotsHash(),
                                (a, b) -> {
                                    assertThat(a).as("one bank per line").isEqualTo(b);
                                    return a;
                                }));
    }

    /** One frame for each line; returns the number of frames sent. */
    private int sendRound(String[] kafkaOptions, String name) throws Exception {
        for (String line : LINES) {
            expectSuccess(
                    cli(
                            kafkaOptions,
                            concat(
                                    new String[] {"frames", "send", "--line", line},
                                    paths(images(1, line + "-" + name)))));
        }
        return LINES.size();
    }

    private static void expectSuccess(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private static CliRun cli(String[] kafka, String... args) {
        return CliRun.of(concat(args, kafka));
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static String[] paths(List<Path> files) {
        return files.stream().map(Path::toString).toArray(String[]::new);
    }

    private List<Path> images(int count, String name) throws Exception {
        ProductImageGenerator generator =
                ProductImageGenerator.builder()
                        .product(Product.METAL_PART)
                        .size(96)
                        .seed(5)
                        .build();
        Path folder = Files.createDirectories(work.resolve(name));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = folder.resolve(name + "-" + i + ".png");
            Files.write(file, ImageBytes.png(generator.generate(sample++, Defect.NONE).image()));
            files.add(file);
        }
        return files;
    }

    /**
     * Reads the scores topic (committed records only) from its beginning until {@code count} scores
     * are there, and a little longer, so that a duplicate would show.
     */
    private static List<AnomalyScore> awaitScores(String servers, int count) throws Exception {
        String topic = PREFIX + "scores";
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroCodec<AnomalyScore> codec = AvroCodec.anomalyScores();
        List<AnomalyScore> scores = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(300));
            Instant settle = null;
            while (Instant.now().isBefore(deadline)
                    && (settle == null || Instant.now().isBefore(settle))) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    scores.add(codec.decode(record.value()));
                }
                if (settle == null && scores.size() >= count) {
                    settle = Instant.now().plus(Duration.ofSeconds(3));
                }
            }
        }
        assertThat(scores.size())
                .as("scores on " + topic + " (logs in target/standalone-cluster-it)")
                .isGreaterThanOrEqualTo(count);
        return scores;
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
