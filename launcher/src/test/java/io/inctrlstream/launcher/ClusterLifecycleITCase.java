package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.ImageBytes;
import io.inctrlstream.launcher.images.Product;
import io.inctrlstream.launcher.images.ProductImageGenerator;
import io.inctrlstream.launcher.internal.BundleLocator;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar's life on a real Flink standalone cluster (a JobManager and a TaskManager, each its
 * own JVM), driven by the launcher over Flink's REST API: {@code inctrl topics create}, {@code run
 * --jobmanager} (jar upload and run), shots and frames scored, {@code status}, {@code stop
 * --savepoint}, and {@code run --from-savepoint}: the resubmitted job keeps the line's shots and
 * scores the frames sent while it was stopped.
 */
@Timeout(600)
@ExtendWith(SharedKafka.class)
class ClusterLifecycleITCase {
    private static final Path JOB_JAR = Path.of("..", "flink-job", "target", "inctrl-job.jar");
    private static final String LINE = "line-c1";

    @TempDir Path work;

    @Test
    void submitsStopsWithASavepointAndResumesFromIt(EmbeddedKafkaBroker broker) throws Exception {
        assertThat(JOB_JAR).as("the job jar (flink-job's package phase)").isRegularFile();
        try (FlinkStandaloneCluster cluster =
                FlinkStandaloneCluster.start(work.resolve("flink"), 1, 2)) {
            run(broker, cluster);
        }
    }

    private void run(EmbeddedKafkaBroker broker, FlinkStandaloneCluster cluster) throws Exception {
        String servers = broker.bootstrapServers();
        String prefix = "life.";
        String[] kafka = {"--bootstrap-servers", servers, "--topic-prefix", prefix};
        String tiny = BundleLocator.tinyBundle().toString();

        CliRun topics =
                cli(
                        kafka,
                        "topics",
                        "create",
                        "--model",
                        tiny,
                        "--replication-factor",
                        "1",
                        "--min-insync-replicas",
                        "1",
                        "--partitions",
                        "2");
        assertThat(topics.exitCode()).as(topics.toString()).isZero();

        String[] submit = {
            "run",
            "--jobmanager",
            cluster.restUrl(),
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
            "-Dinctrl.sink.transactional-id-prefix=life"
        };
        CliRun first = cli(kafka, submit);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).containsPattern("job [0-9a-f]{32} running on");

        CliRun status = CliRun.of("status", "--jobmanager", cluster.restUrl());
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("RUNNING").contains("InCTRL inspection");

        List<Path> shots = images(0, 2, "shot");
        CliRun set =
                cli(
                        kafka,
                        concat(
                                new String[] {"shots", "set", "--line", LINE, "--timeout", "120s"},
                                paths(shots)));
        assertThat(set.exitCode()).as(set.toString()).isZero();

        CliRun sendBefore =
                cli(
                        kafka,
                        concat(
                                new String[] {"frames", "send", "--line", LINE},
                                paths(images(10, 3, "before"))));
        assertThat(sendBefore.exitCode()).as(sendBefore.toString()).isZero();
        List<AnomalyScore> before = awaitScores(servers, prefix + "scores", 3);

        CliRun stop =
                CliRun.of(
                        "stop",
                        "--jobmanager",
                        cluster.restUrl(),
                        "--savepoint",
                        work.resolve("savepoints").toUri().toString());
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        Matcher savepoint = Pattern.compile("stopped with savepoint (\\S+)").matcher(stop.out());
        assertThat(savepoint.find()).as(stop.out()).isTrue();
        CliRun stopped = CliRun.of("status", "--jobmanager", cluster.restUrl());
        assertThat(stopped.exitCode()).as("no job running: " + stopped).isEqualTo(1);
        assertThat(stopped.out()).contains("FINISHED");

        // Frames sent while no job runs are scored by the resubmitted one.
        CliRun sendWhileStopped =
                cli(
                        kafka,
                        concat(
                                new String[] {"frames", "send", "--line", LINE},
                                paths(images(20, 2, "during"))));
        assertThat(sendWhileStopped.exitCode()).as(sendWhileStopped.toString()).isZero();
        CliRun resumed =
                cli(kafka, concat(submit, new String[] {"--from-savepoint", savepoint.group(1)}));
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("(from savepoint " + savepoint.group(1) + ")");

        List<AnomalyScore> all = awaitScores(servers, prefix + "scores", 5);
        assertThat(all).extracting(AnomalyScore::getScoreId).doesNotHaveDuplicates();
        assertThat(all)
                .as("every frame scored against the shots set before the upgrade")
                .allSatisfy(
                        score -> {
                            assertThat(score.getStatus()).isEqualTo(ScoreStatus.SCORED);
                            assertThat(score.getShotsVersion())
                                    .isEqualTo(before.get(0).getShotsVersion());
                            assertThat(score.getShotsHash())
                                    .isEqualTo(before.get(0).getShotsHash());
                        });
    }

    private static CliRun cli(String[] kafka, String... args) {
        CliRun run = CliRun.of(concat(args, kafka));
        return run;
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static String[] paths(List<Path> files) {
        return files.stream().map(Path::toString).toArray(String[]::new);
    }

    private List<Path> images(long firstSample, int count, String name) throws Exception {
        ProductImageGenerator generator =
                ProductImageGenerator.builder()
                        .product(Product.METAL_PART)
                        .size(96)
                        .seed(3)
                        .build();
        Path folder = Files.createDirectories(work.resolve(name));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = folder.resolve(name + "-" + i + ".png");
            Files.write(
                    file, ImageBytes.png(generator.generate(firstSample + i, Defect.NONE).image()));
            files.add(file);
        }
        return files;
    }

    /** Reads the scores topic (committed records) until {@code count} scores are there. */
    private static List<AnomalyScore> awaitScores(String servers, String topic, int count)
            throws Exception {
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
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (scores.size() < count && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    scores.add(codec.decode(record.value()));
                }
            }
        }
        assertThat(scores).as("scores on " + topic).hasSize(count);
        return scores;
    }
}
