package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.codec.AvroCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/**
 * A failure mid-stream and what must hold after it. Checkpoints are taken by the test, so that what
 * the failure replays is known: the frames of phase 1 are scored and checkpointed, the frames of
 * phase 2a are scored (written to Kafka) after that checkpoint, then the failure, then phase 2b.
 * The job must restore that checkpoint, score every frame (none lost), keep the lines' shots (later
 * frames scored with the same shots version and bank), keep each line's order, and in exactly-once
 * mode let a read-committed consumer see each score once, although the failed attempt had written
 * the scores of phase 2a already.
 */
final class RecoveryScenario {
    static final List<String> LINES = List.of("line-r1", "line-r2");
    private static final int FRAMES_PER_LINE_AND_PHASE = 3;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private RecoveryScenario() {}

    /** What goes wrong between phase 2a and 2b. */
    @FunctionalInterface
    interface Failure {
        void inject() throws Exception;
    }

    /**
     * Runs the scenario: shots, phase 1, checkpoint, phase 2a scored, failure, phase 2b; then
     * checks that the job recovered from that checkpoint without losing a frame, a shot or (in
     * exactly-once mode) committing a score twice.
     */
    static void run(
            EmbeddedKafkaBroker broker,
            InspectionTopics topics,
            JobUnderTest.Builder builder,
            MiniCluster cluster,
            InMemoryReporter metrics,
            DeliveryMode mode,
            Failure failure)
            throws Exception {
        int run = RUNS.incrementAndGet();
        // Progress is watched on what the job wrote (uncommitted); the verdict is the committed
        // view in exactly-once mode.
        try (JobIo io = new JobIo(broker, topics, false);
                OutputReader<AnomalyScore> committed =
                        OutputReader.committed(
                                broker.bootstrapServers(),
                                topics.scores(),
                                AvroCodec.anomalyScores());
                JobUnderTest job = builder.start(cluster)) {
            for (int i = 0; i < LINES.size(); i++) {
                String line = LINES.get(i);
                // Different shots per line, so different banks.
                io.input.command(
                        Records.command(
                                line, line + "-shots", Records.setShots(Records.shots(2, 10 * i))));
            }
            Map<String, ControlEvent> applied = new HashMap<>();
            for (String line : LINES) {
                ControlEvent event = io.awaitEvent(line + "-shots");
                assertThat(event.getOutcome()).isEqualTo(ControlOutcome.APPLIED);
                applied.put(line, event);
            }

            List<Frame> phase1 = frames(run, "p1");
            io.send(phase1);
            io.awaitScores(phase1);
            long checkpoint = job.checkpoint();

            List<Frame> phase2a = frames(run, "p2a");
            io.send(phase2a);
            io.awaitScores(phase2a); // written after the checkpoint: the failure replays them

            failure.inject();
            List<Frame> phase2b = frames(run, "p2b");
            io.send(phase2b);

            List<Frame> all = new ArrayList<>(phase1);
            all.addAll(phase2a);
            all.addAll(phase2b);
            io.awaitScores(all);
            assertThat(job.highestAttempt()).as("the job restarted").isPositive();
            assertThat(job.restoredCheckpoint()).as("the checkpoint restored").hasValue(checkpoint);

            // Commit what the restored job wrote, and see nothing more comes.
            job.checkpoint();
            List<AnomalyScore> written = io.scores.awaitSettled();
            List<AnomalyScore> delivered =
                    mode == DeliveryMode.EXACTLY_ONCE ? committed.awaitSettled() : written;

            Map<String, List<AnomalyScore>> deliveredById = byScoreId(delivered);
            assertThat(deliveredById.keySet())
                    .as("every frame scored")
                    .containsExactlyInAnyOrderElementsOf(ids(all));
            deliveredById.values().forEach(Scores::assertIdenticalCopies);
            Map<String, List<AnomalyScore>> writtenById = byScoreId(written);
            assertThat(ids(phase2a))
                    .as("scores written before the failure were written again after it")
                    .allSatisfy(id -> assertThat(writtenById.get(id)).hasSizeGreaterThan(1));
            if (mode == DeliveryMode.EXACTLY_ONCE) {
                assertThat(deliveredById.values())
                        .as("each frame's score committed once")
                        .allSatisfy(copies -> assertThat(copies).hasSize(1));
            }

            // The shots survived: every frame, before and after the failure, was scored against
            // the bank the set-shots command built.
            for (AnomalyScore score : delivered) {
                ControlEvent shots = applied.get(score.getLineId());
                assertThat(score.getStatus()).as(score.getScoreId()).isEqualTo(ScoreStatus.SCORED);
                assertThat(score.getShotsVersion())
                        .as(score.getScoreId())
                        .isEqualTo(shots.getShotsVersion());
            }
            Map<String, List<String>> banksByLine =
                    delivered.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            AnomalyScore::getLineId,
                                            Collectors.mapping(
                                                    AnomalyScore::getShotsHash,
                                                    Collectors.collectingAndThen(
                                                            Collectors.toSet(), List::copyOf))));
            assertThat(banksByLine.values())
                    .as("one bank per line, before and after the failure")
                    .allSatisfy(banks -> assertThat(banks).hasSize(1));
            assertThat(banksByLine.values().stream().flatMap(List::stream).distinct().count())
                    .as("a bank of its own per line")
                    .isEqualTo(LINES.size());
            // Each line's scores stay in frame order, across the failure.
            for (String line : LINES) {
                assertThat(Scores.distinctFrameIdsInOrder(delivered, line))
                        .isEqualTo(
                                all.stream()
                                        .filter(f -> f.getLineId().equals(line))
                                        .map(Frame::getFrameId)
                                        .toList());
            }
            // No command was applied twice.
            assertThat(io.events.records())
                    .extracting(ControlEvent::getCommandId)
                    .doesNotHaveDuplicates()
                    .hasSize(LINES.size());
            // The restored transactions were committed, or found committed before the failure:
            // none counted failed (the Kafka connector alone counts those it had committed
            // before the failure as failed, and logs them as likely data loss).
            assertThat(committerCounts(metrics, job, "failedCommittables"))
                    .as("failed commits of the Kafka sinks' committers, every attempt")
                    .isZero();
        }
    }

    /**
     * The sum of a counter over every committer of the job, in every attempt ({@code metrics}
     * retains the metrics of closed tasks).
     */
    private static long committerCounts(InMemoryReporter metrics, JobUnderTest job, String name) {
        List<OperatorMetricGroup> committers =
                metrics.findOperatorMetricGroups(job.jobId(), ".*Committer.*");
        assertThat(committers).as("the Kafka sinks' committers").isNotEmpty();
        long sum = 0;
        for (OperatorMetricGroup committer : committers) {
            Metric metric = metrics.getMetricsByGroup(committer).get(name);
            assertThat(metric).as(name + " of " + committer).isInstanceOf(Counter.class);
            sum += ((Counter) metric).getCount();
        }
        return sum;
    }

    private static List<Frame> frames(int run, String phase) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES_PER_LINE_AND_PHASE; i++) {
            for (String line : LINES) {
                frames.add(Records.goodFrame(line, "run" + run + "-" + phase + "-" + i));
            }
        }
        return frames;
    }

    private static List<String> ids(List<Frame> frames) {
        return frames.stream().map(f -> RecordIds.scoreId(f.getLineId(), f.getFrameId())).toList();
    }

    private static Map<String, List<AnomalyScore>> byScoreId(List<AnomalyScore> scores) {
        return scores.stream().collect(Collectors.groupingBy(AnomalyScore::getScoreId));
    }
}
