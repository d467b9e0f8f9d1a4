package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlActionType;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A line's shots set, replaced, extended and cleared while frames flow: every command is
 * acknowledged by one audit event, in order, and a frame sent after a command's APPLIED event is
 * scored against exactly the shots that command left (its shots version).
 */
@ExtendWith(SharedKafka.class)
@Timeout(180)
class ShotLifecycleITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    private static final String LINE = "line-shots";

    /** A second line whose frames stream without waiting for its commands. */
    private static final String STREAMING_LINE = "line-streaming";

    private int frameCounter;

    @Test
    void shotCommandsApplyInOrderWithAnAuditEventEach(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        InspectionTopics topics = TestTopics.create(broker, "shots");
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job = JobUnderTest.builder(broker, topics).start(cluster)) {
            // Before any shots: no reference.
            List<Frame> beforeShots = frames(LINE, 2);
            io.send(beforeShots);
            Map<String, AnomalyScore> scores = latestById(io.awaitScores(beforeShots));
            assertThat(beforeShots)
                    .allSatisfy(
                            f -> {
                                AnomalyScore score = scores.get(id(f));
                                assertThat(score.getStatus()).isEqualTo(ScoreStatus.NO_REFERENCE);
                                assertThat(score.getShotsVersion()).isZero();
                                assertThat(score.getAnomalous()).isFalse();
                            });

            List<ControlCommand> commands = new ArrayList<>();
            List<Long> versions = new ArrayList<>();
            Map<Long, Set<String>> hashesByVersion = new TreeMap<>();

            // set, replace, add, threshold, clear, set again: each awaited, then frames.
            Object[] actions = {
                Records.setShots(Records.shots(2, 0)),
                Records.setShots(Records.shots(3, 10)),
                Records.addShots(Records.shots(1, 20)),
                Records.setThreshold(0.0),
                Records.clearShots(),
                Records.setShots(Records.shots(1, 30)),
            };
            for (int i = 0; i < actions.length; i++) {
                ControlCommand command = Records.command(LINE, "shots-cmd-" + i, actions[i]);
                commands.add(command);
                ControlEvent event = io.apply(command);
                assertThat(event.getOutcome())
                        .as("outcome of %s: %s", command.getCommandId(), event.getReason())
                        .isEqualTo(ControlOutcome.APPLIED);

                List<Frame> after = frames(LINE, 2);
                io.send(after);
                Map<String, AnomalyScore> afterScores = latestById(io.awaitScores(after));
                for (Frame frame : after) {
                    AnomalyScore score = afterScores.get(id(frame));
                    assertThat(score.getShotsVersion())
                            .as("shots version of %s after %s", id(frame), command.getCommandId())
                            .isEqualTo(event.getShotsVersion());
                    if (event.getShotCount() == 0) {
                        assertThat(score.getStatus()).isEqualTo(ScoreStatus.NO_REFERENCE);
                        assertThat(score.getAnomalous()).isFalse();
                    } else {
                        assertThat(score.getStatus()).isEqualTo(ScoreStatus.SCORED);
                        hashesByVersion
                                .computeIfAbsent(event.getShotsVersion(), v -> new TreeSet<>())
                                .add(score.getShotsHash());
                    }
                    if (event.getActionType() == ControlActionType.SET_THRESHOLD) {
                        // Threshold 0: every scored frame is anomalous from now on.
                        assertThat(score.getThreshold()).isEqualTo(0.0);
                        assertThat(score.getAnomalous()).isTrue();
                    }
                }
                versions.add(event.getShotsVersion());
            }

            // One event per command, in command order, with the resulting versions and counts.
            List<ControlEvent> events =
                    io.events.records().stream().filter(e -> e.getLineId().equals(LINE)).toList();
            assertThat(events)
                    .extracting(
                            ControlEvent::getEventId,
                            ControlEvent::getActionType,
                            ControlEvent::getOutcome,
                            ControlEvent::getShotCount)
                    .containsExactly(
                            tuple(
                                    eventId(commands, 0),
                                    ControlActionType.SET_SHOTS,
                                    ControlOutcome.APPLIED,
                                    2),
                            tuple(
                                    eventId(commands, 1),
                                    ControlActionType.SET_SHOTS,
                                    ControlOutcome.APPLIED,
                                    3),
                            tuple(
                                    eventId(commands, 2),
                                    ControlActionType.ADD_SHOTS,
                                    ControlOutcome.APPLIED,
                                    4),
                            tuple(
                                    eventId(commands, 3),
                                    ControlActionType.SET_THRESHOLD,
                                    ControlOutcome.APPLIED,
                                    4),
                            tuple(
                                    eventId(commands, 4),
                                    ControlActionType.CLEAR_SHOTS,
                                    ControlOutcome.APPLIED,
                                    0),
                            tuple(
                                    eventId(commands, 5),
                                    ControlActionType.SET_SHOTS,
                                    ControlOutcome.APPLIED,
                                    1));
            // Shot changes bump the version; a threshold leaves it.
            assertThat(versions.get(0)).isPositive();
            assertThat(versions.get(1)).isGreaterThan(versions.get(0));
            assertThat(versions.get(2)).isGreaterThan(versions.get(1));
            assertThat(versions.get(3)).isEqualTo(versions.get(2));
            assertThat(versions.get(4)).isGreaterThan(versions.get(3));
            assertThat(versions.get(5)).isGreaterThan(versions.get(4));
            assertThat(job.highestAttempt()).as("the job never restarted").isZero();
            // One bank hash per shots version, and a different one for different shots.
            assertThat(hashesByVersion.values()).allSatisfy(h -> assertThat(h).hasSize(1));
            assertThat(hashesByVersion.values().stream().flatMap(Set::stream).toList())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void framesStreamingThroughCommandsSeeTheShotsChangeInOrder(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        InspectionTopics topics = TestTopics.create(broker, "shots-streaming");
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job = JobUnderTest.builder(broker, topics).start(cluster)) {
            ControlEvent first =
                    io.apply(
                            Records.command(
                                    STREAMING_LINE,
                                    "stream-set-1",
                                    Records.setShots(Records.shots(2, 0))));
            assertThat(first.getOutcome()).isEqualTo(ControlOutcome.APPLIED);

            // Commands and frames without waiting in between.
            List<Frame> streamed = new ArrayList<>();
            List<String> commandIds = List.of("stream-set-2", "stream-clear", "stream-set-3");
            Object[] actions = {
                Records.setShots(Records.shots(2, 40)),
                Records.clearShots(),
                Records.setShots(Records.shots(1, 50))
            };
            for (int i = 0; i < actions.length; i++) {
                List<Frame> batch = frames(STREAMING_LINE, 3);
                io.send(batch);
                streamed.addAll(batch);
                io.input.command(Records.command(STREAMING_LINE, commandIds.get(i), actions[i]));
            }
            List<Frame> tail = frames(STREAMING_LINE, 3);
            io.send(tail);
            streamed.addAll(tail);
            ControlEvent last = io.awaitEvent("stream-set-3");

            List<AnomalyScore> scores = io.awaitScores(streamed);
            // Every frame scored; versions never go back in the line's frame order.
            List<Long> versionsInFrameOrder =
                    streamed.stream()
                            .map(f -> latestById(scores).get(id(f)).getShotsVersion())
                            .toList();
            assertThat(versionsInFrameOrder).isSorted();
            assertThat(versionsInFrameOrder.get(0)).isGreaterThanOrEqualTo(first.getShotsVersion());
            assertThat(versionsInFrameOrder.get(versionsInFrameOrder.size() - 1))
                    .isLessThanOrEqualTo(last.getShotsVersion());
            assertThat(
                            io.events.records().stream()
                                    .filter(e -> e.getLineId().equals(STREAMING_LINE))
                                    .map(ControlEvent::getCommandId))
                    .containsExactly(
                            "stream-set-1", "stream-set-2", "stream-clear", "stream-set-3");

            assertThat(job.highestAttempt()).as("the job never restarted").isZero();
            // After the last APPLIED event, frames use its shots.
            List<Frame> afterLast = frames(STREAMING_LINE, 2);
            io.send(afterLast);
            Map<String, AnomalyScore> afterScores = latestById(io.awaitScores(afterLast));
            assertThat(afterLast)
                    .allSatisfy(
                            f ->
                                    assertThat(afterScores.get(id(f)).getShotsVersion())
                                            .isEqualTo(last.getShotsVersion()));
        }
    }

    private List<Frame> frames(String line, int count) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(Records.goodFrame(line, String.format("f-%04d", frameCounter++)));
        }
        return frames;
    }

    private static String id(Frame frame) {
        return RecordIds.scoreId(frame.getLineId(), frame.getFrameId());
    }

    private static String eventId(List<ControlCommand> commands, int index) {
        return RecordIds.controlEventId(commands.get(index).getCommandId());
    }

    private static Map<String, AnomalyScore> latestById(List<AnomalyScore> scores) {
        return scores.stream()
                .collect(
                        Collectors.toMap(
                                AnomalyScore::getScoreId, Function.identity(), (a, b) -> b));
    }
}
