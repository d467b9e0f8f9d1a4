package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lines' state survives the loss of every checkpoint: a job sets shots and thresholds on
 * several lines and is cancelled; its checkpoint folder is deleted; a second job (a new consumer
 * group, so it reads control and frames again from their beginning) restores every line from the
 * compacted line-state topic before scoring: all its frames, those of the first job included, are
 * scored against the same shots version and bank hash with the same threshold, the replayed
 * commands are neither applied again nor answered again, and a command re-sent by its client is
 * answered as a duplicate.
 */
@ExtendWith(SharedKafka.class)
@Timeout(300)
class LineStateRestoreITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    private static final List<String> LINES = List.of("line-s1", "line-s2", "line-s3");

    @Test
    void aJobStartedWithoutCheckpointRestoresEveryLineFromTheLineStateTopic(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster, @TempDir Path dir)
            throws Exception {
        InspectionTopics topics = TestTopics.create(broker, "line-state-restore");
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        Map<String, Double> thresholds = new HashMap<>();
        Map<String, ControlCommand> shotCommands = new HashMap<>();
        List<Frame> firstFrames = new ArrayList<>();
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job = job(broker, topics, checkpoints).start(cluster)) {
            for (int i = 0; i < LINES.size(); i++) {
                String line = LINES.get(i);
                ControlCommand shots =
                        Records.command(
                                line, line + "-shots", Records.setShots(Records.shots(2, 10 * i)));
                shotCommands.put(line, shots);
                io.input.command(shots);
                thresholds.put(line, 0.3 + 0.1 * i);
                io.input.command(
                        Records.command(
                                line,
                                line + "-threshold",
                                Records.setThreshold(thresholds.get(line))));
            }
            for (String line : LINES) {
                assertThat(io.awaitEvent(line + "-threshold").getOutcome())
                        .isEqualTo(ControlOutcome.APPLIED);
                for (int f = 0; f < 2; f++) {
                    firstFrames.add(Records.goodFrame(line, "first-" + f));
                }
            }
            io.send(firstFrames);
            io.awaitScores(firstFrames);
            job.checkpoint();
        }
        Folders.deleteTree(checkpoints);
        assertThat(checkpoints).doesNotExist();

        List<Frame> secondFrames = new ArrayList<>();
        try (JobIo io = new JobIo(broker, topics, false);
                OutputReader<LineState> lineStates =
                        OutputReader.uncommitted(
                                broker.bootstrapServers(),
                                topics.lineState(),
                                AvroCodec.lineStates());
                JobUnderTest job =
                        job(broker, topics, dir.resolve("checkpoints-2")).start(cluster)) {
            for (String line : LINES) {
                for (int f = 0; f < 2; f++) {
                    secondFrames.add(Records.goodFrame(line, "second-" + f));
                }
            }
            io.send(secondFrames);
            // A client sends its set-shots command again (a retry): answered, not applied.
            io.input.command(shotCommands.get("line-s1"));
            List<Frame> all = new ArrayList<>(firstFrames);
            all.addAll(secondFrames);
            List<AnomalyScore> scores =
                    io.scores.awaitUntil(
                            read -> read.size() >= firstFrames.size() * 2 + secondFrames.size(),
                            "the first job's scores, and the second job's of every frame");
            List<ControlEvent> events =
                    io.events.awaitUntil(
                            read -> read.size() >= 2 * LINES.size() + 1,
                            "the first job's events and the duplicate's");

            Map<String, List<AnomalyScore>> byLine =
                    scores.stream().collect(Collectors.groupingBy(AnomalyScore::getLineId));
            for (String line : LINES) {
                List<AnomalyScore> lineScores = byLine.get(line);
                assertThat(lineScores)
                        .as("every frame of %s, in both jobs, scored with its restored state", line)
                        .hasSize(6)
                        .allSatisfy(
                                score -> {
                                    assertThat(score.getStatus()).isEqualTo(ScoreStatus.SCORED);
                                    assertThat(score.getShotsVersion()).isEqualTo(1);
                                    assertThat(score.getThreshold())
                                            .isEqualTo(thresholds.get(line));
                                });
                assertThat(lineScores.stream().map(AnomalyScore::getShotsHash).distinct())
                        .as("one bank of %s before and after the restart", line)
                        .hasSize(1);
            }
            assertThat(scores.stream().map(AnomalyScore::getShotsHash).distinct().count())
                    .as("a bank of its own per line")
                    .isEqualTo(LINES.size());

            Map<String, List<ControlEvent>> eventsById =
                    events.stream().collect(Collectors.groupingBy(ControlEvent::getCommandId));
            assertThat(events).hasSize(2 * LINES.size() + 1);
            for (String line : LINES) {
                assertThat(eventsById.get(line + "-threshold")).hasSize(1);
            }
            assertThat(eventsById.get("line-s1-shots"))
                    .extracting(ControlEvent::getReason)
                    .containsExactly(
                            null,
                            "duplicate of command line-s1-shots, already applied to line line-s1:"
                                    + " nothing changed");
            assertThat(eventsById.get("line-s1-shots"))
                    .extracting(ControlEvent::getEventId)
                    .containsOnly("line-s1-shots/event");
            assertThat(lineStates.awaitSettled())
                    .as("only the first job's commands changed a line")
                    .hasSize(2 * LINES.size());
        }
    }

    private static JobUnderTest.Builder job(
            EmbeddedKafkaBroker broker, InspectionTopics topics, Path checkpoints) {
        return JobUnderTest.builder(broker, topics)
                .checkpointsOnDemand()
                .set(InspectionJobOptions.CHECKPOINT_DIR, checkpoints.toUri().toString());
    }
}
