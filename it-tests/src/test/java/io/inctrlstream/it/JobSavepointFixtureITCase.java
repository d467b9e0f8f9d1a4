package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.ScoreStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint of the whole job (Kafka sources and sinks, decoding, the line operator, alerts) taken
 * by this version is committed (src/test/resources/savepoints/job-v1, Flink's canonical format):
 * two lines with shots and a threshold. A job started from it must restore with every operator's
 * state mapped by its uid (nothing left unrestored: allowNonRestoredState is off) and score new
 * frames of both lines against the restored shots, so that a change of an operator's uid, the job's
 * shape or a state serializer that breaks upgrading from this version fails here. Regenerate only
 * for a new state format, with {@code -Dinctrl.fixtures.write=true}, and keep the old fixture (a
 * new file name).
 */
@ExtendWith(SharedKafka.class)
@Timeout(300)
class JobSavepointFixtureITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    static final Path FIXTURE = Path.of("src/test/resources/savepoints/job-v1");

    /** The fixture job's topics: a restored Kafka source reads the topics it read before. */
    private static final String PREFIX = "savepoint-fixture.";

    private static final List<String> LINES = List.of("line-f1", "line-f2");
    private static final double THRESHOLD_F2 = 0.35;

    @Test
    void aJobStartedFromTheCommittedSavepointScoresWithTheRestoredLines(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        assertThat(FIXTURE.resolve("_metadata")).as("the committed savepoint").isRegularFile();
        InspectionTopics topics = TestTopics.createWithPrefix(broker, PREFIX);
        List<Frame> frames = new ArrayList<>();
        for (String line : LINES) {
            frames.add(Records.goodFrame(line, "after-upgrade-" + System.nanoTime()));
        }
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job =
                        JobUnderTest.builder(broker, topics)
                                .fromSavepoint(FIXTURE.toAbsolutePath().toUri().toString())
                                .start(cluster)) {
            job.awaitRunning();
            io.send(frames);
            List<AnomalyScore> scores = io.awaitScores(frames);

            for (Frame frame : frames) {
                AnomalyScore score =
                        scores.stream()
                                .filter(s -> s.getFrameId().equals(frame.getFrameId()))
                                .findFirst()
                                .orElseThrow();
                assertThat(score.getStatus())
                        .as(
                                "%s: scored with the restored shots (failure: %s)",
                                frame.getLineId(), score.getFailureReason())
                        .isEqualTo(ScoreStatus.SCORED);
                assertThat(score.getShotsVersion()).as(frame.getLineId()).isEqualTo(1);
                if (frame.getLineId().equals("line-f2")) {
                    assertThat(score.getThreshold()).isEqualTo(THRESHOLD_F2);
                }
            }
            assertThat(
                            scores.stream()
                                    .filter(s -> s.getFrameId().startsWith("after-upgrade-"))
                                    .map(AnomalyScore::getShotsHash)
                                    .distinct())
                    .as("each line its own restored bank")
                    .hasSize(LINES.size());
        }
    }

    /** Writes the fixture: run only to make a new one, then commit the folder. */
    @Test
    @EnabledIfSystemProperty(named = "inctrl.fixtures.write", matches = "true")
    void writeFixture(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster, @TempDir Path temp)
            throws Exception {
        InspectionTopics topics = TestTopics.createWithPrefix(broker, PREFIX);
        String savepoint;
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job = JobUnderTest.builder(broker, topics).start(cluster)) {
            for (int i = 0; i < LINES.size(); i++) {
                String line = LINES.get(i);
                assertThat(
                                io.apply(
                                                Records.command(
                                                        line,
                                                        line + "-shots",
                                                        Records.setShots(Records.shots(2, 10 * i))))
                                        .getOutcome())
                        .isEqualTo(ControlOutcome.APPLIED);
            }
            assertThat(
                            io.apply(
                                            Records.command(
                                                    "line-f2",
                                                    "line-f2-threshold",
                                                    Records.setThreshold(THRESHOLD_F2)))
                                    .getOutcome())
                    .isEqualTo(ControlOutcome.APPLIED);
            List<Frame> frames = List.of(Records.goodFrame("line-f1", "before-savepoint"));
            io.send(frames);
            io.awaitScores(frames);
            savepoint = job.stopWithSavepoint(temp);
        }
        Path written = Path.of(java.net.URI.create(savepoint));
        if (Files.exists(FIXTURE)) {
            try (Stream<Path> old = Files.walk(FIXTURE)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(FIXTURE);
        try (Stream<Path> files = Files.list(written)) {
            for (Path file : files.toList()) {
                Files.copy(file, FIXTURE.resolve(file.getFileName()));
            }
        }
    }
}
