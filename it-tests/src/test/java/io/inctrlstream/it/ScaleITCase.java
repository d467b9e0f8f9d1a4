package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.StateBackendKind;
import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job at scale, on the real Kafka sources and sinks in exactly-once mode: {@value #LINES} lines
 * with {@value #SHOTS} shots each (with the tiny bundle a shot's bank is 3 x 225 x 32 floats, 86.4
 * KB, so over 100 MB of keyed state), then a burst of frames sent far faster than the two subtasks
 * score them, so that the operator runs full at its capacity and the job backpressures the Kafka
 * source. Periodic checkpoints go to a folder; once some completed during the burst, a task fails
 * ({@link FailOnDemand}) and the job restores the latest one while most of the burst is still
 * waiting. What must hold: at least three completed checkpoints of more than 100 MB each, every
 * frame's score committed exactly once (read-committed consumer), each against its line's bank of
 * the set-shots command (shots version and one bank hash per line, before and after the failure),
 * each line's scores in frame order, and the JVM's memory within {@link #HEAP_BOUND} of heap
 * retained after collections and {@link #DIRECT_BOUND} of direct buffers.
 *
 * <p>State backend: HASHMAP, because the banks then live on the Java heap, where this test can
 * measure them (RocksDB keeps them in native memory that no MXBean sees) and because the demo and
 * {@code run --local} use it; each checkpoint is a full snapshot of the 110 MB.
 *
 * <p>The memory bounds, for this JVM (broker, MiniCluster and test): the keyed state (110 MB) lives
 * once on the heap, each subtask's serialized-bank cache refers to the same arrays, a restore reads
 * the checkpoint back while the old state becomes garbage, and the broker, Flink and the test's
 * readers take a few hundred MB: {@link #HEAP_BOUND} (768 MiB) is state x 4 + 300 MiB; a copy of
 * the state per pending frame, per checkpoint or per restart would exceed it. Direct memory holds
 * the decoded banks (the decoded-bank cache, 128 MB of direct memory per subtask by default, holds
 * every line's bank, 110 MB in all), Flink's network buffers (64 MiB) and the Kafka clients' and
 * broker's I/O buffers: {@link #DIRECT_BOUND} (384 MiB).
 *
 * <p>Then a second run with every checkpoint lost restores each line from the compacted line-state
 * topic (see {@link #restoresEveryLineFromTheLineStateTopic}), with a decoded-bank cache of only 8
 * banks: each subtask scores more lines than its cache holds, so nearly every batch decodes banks
 * again and evicts others. Before evicted banks freed their direct memory at once, direct memory
 * grew past any such bound (497 MiB here with a cache of 8 banks; see DecodedBanksDirectMemoryTest
 * in flink-job); the same {@link #DIRECT_BOUND} holds across both runs.
 */
@ExtendWith(SharedKafka.class)
@Timeout(600)
class ScaleITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    static final int LINES = 80;
    static final int SHOTS = 16;

    /** Bytes of one shot's bank with the tiny bundle: 3 layers x 225 patches x 32 floats. */
    static final long BANK_BYTES_PER_SHOT = 3L * 225 * 32 * Float.BYTES;

    private static final int BURST_FRAMES_PER_LINE = 12;

    /** Frames and commands a subtask holds in flight: small, so that the burst fills it. */
    private static final int CAPACITY = 16;

    /** Frames of the burst scored before the failure is injected: two subtasks' capacity. */
    private static final int SCORED_BEFORE_FAILURE = 2 * CAPACITY;

    /**
     * How long a bank build or batch may take: the 80 set-shots commands arrive at once and their
     * builds queue, and the timeout counts from when a build is submitted, not started.
     */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Short, so that a checkpoint completes while the burst is still less than half scored: with
     * the next batch decoded while one is scored, 2 s let half of it be scored first.
     */
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    private static final Duration SCORING_DEADLINE = Duration.ofMinutes(4);
    private static final long MIB = 1024 * 1024;
    static final long HEAP_BOUND = 768 * MIB;
    static final long DIRECT_BOUND = 384 * MIB;

    /**
     * The second run's decoded-bank cache: 8 of the 16-shot banks (1.38 MB each), where each
     * subtask scores about 40 lines.
     */
    private static final MemorySize SMALL_DECODED_CACHE = MemorySize.ofMebiBytes(11);

    @TempDir Path temp;

    @BeforeEach
    void disarm() {
        FailOnDemand.reset();
    }

    @Test
    void scoresABurstExactlyOnceAcrossAFailoverThenRestoresEveryLineWithoutCheckpoints(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        InspectionTopics topics = TestTopics.create(broker, "scale");
        JobUnderTest.Builder builder =
                JobUnderTest.builder(broker, topics)
                        .deliveryMode(DeliveryMode.EXACTLY_ONCE)
                        .stateBackend(StateBackendKind.HASHMAP)
                        .failOnDemand()
                        .set(InspectionJobOptions.CAPACITY, CAPACITY)
                        .set(InspectionJobOptions.TIMEOUT, BUILD_TIMEOUT)
                        .set(InspectionJobOptions.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL)
                        .set(InspectionJobOptions.CHECKPOINT_MIN_PAUSE, Duration.ofMillis(500))
                        .set(
                                InspectionJobOptions.CHECKPOINT_DIR,
                                temp.resolve("checkpoints").toUri().toString());
        long started = System.nanoTime();
        try (MemoryWatch memory = new MemoryWatch();
                JobIo io = new JobIo(broker, topics, false);
                OutputReader<AnomalyScore> committed =
                        OutputReader.committed(
                                broker.bootstrapServers(),
                                topics.scores(),
                                AvroCodec.anomalyScores());
                // The failover may replay set-shots commands whose events were written in a
                // transaction it aborts: read uncommitted, such a command is answered twice.
                OutputReader<ControlEvent> committedEvents =
                        OutputReader.committed(
                                broker.bootstrapServers(),
                                topics.controlEvents(),
                                AvroCodec.controlEvents())) {
            Map<String, ControlEvent> applied;
            List<Frame> burst;
            Map<String, Set<String>> banksByLine = new HashMap<>();
            try (JobUnderTest job = builder.start(cluster)) {
                job.awaitRunning();

                // One set-shots command per line, 16 shots each.
                List<ControlCommand> commands = new ArrayList<>();
                for (int line = 0; line < LINES; line++) {
                    commands.add(
                            Records.command(
                                    lineId(line),
                                    lineId(line) + "-shots",
                                    Records.setShots(shots(line))));
                }
                io.input.commands(commands);
                applied = awaitApplied(io);
                long shotsApplied = System.nanoTime();

                burst = burst();
                long checkpointsBefore = completed(job.checkpointStats());
                io.input.burst(burst);
                long burstSent = System.nanoTime();

                // Mid-burst: once a checkpoint completed while the operator was full, fail a task.
                int scoredAtFailure =
                        awaitCheckpointsDuringBurst(job, io, burst, checkpointsBefore);
                FailOnDemand.arm();
                awaitInjectedFailure(io, burst);

                Set<String> expected =
                        burst.stream()
                                .map(f -> RecordIds.scoreId(f.getLineId(), f.getFrameId()))
                                .collect(Collectors.toSet());
                committed.awaitUntil(
                        read ->
                                read.stream()
                                        .map(AnomalyScore::getScoreId)
                                        .collect(Collectors.toSet())
                                        .containsAll(expected),
                        "committed scores of all " + expected.size() + " frames of the burst",
                        SCORING_DEADLINE);
                long burstScored = System.nanoTime();
                List<AnomalyScore> delivered = committed.awaitSettled();

                assertThat(FailOnDemand.failures()).as("failures injected").isEqualTo(1);
                assertThat(job.highestAttempt()).as("the job restarted").isPositive();
                assertThat(job.restoredCheckpoint()).as("a checkpoint was restored").isPresent();

                CheckpointStatsSnapshot stats = job.checkpointStats();
                assertThat(completed(stats)).as("completed checkpoints").isGreaterThanOrEqualTo(3);
                CompletedCheckpointStats latest = stats.getHistory().getLatestCompletedCheckpoint();
                assertThat(latest.getStateSize())
                        .as("the state of a checkpoint: every line's bank")
                        .isGreaterThan(LINES * SHOTS * BANK_BYTES_PER_SHOT)
                        .isGreaterThan(100_000_000L);

                // Every frame scored exactly once, against its line's bank.
                Map<String, List<AnomalyScore>> byId =
                        delivered.stream().collect(Collectors.groupingBy(AnomalyScore::getScoreId));
                assertThat(byId.keySet()).as("frames scored").isEqualTo(expected);
                assertThat(byId.values())
                        .as("each frame's score committed once")
                        .allSatisfy(copies -> assertThat(copies).hasSize(1));
                for (AnomalyScore score : delivered) {
                    assertThat(score.getStatus())
                            .as(score.getScoreId())
                            .isEqualTo(ScoreStatus.SCORED);
                    assertThat(score.getShotsVersion())
                            .as("shots version of %s", score.getScoreId())
                            .isEqualTo(applied.get(score.getLineId()).getShotsVersion());
                    banksByLine
                            .computeIfAbsent(score.getLineId(), line -> new HashSet<>())
                            .add(score.getShotsHash());
                }
                assertThat(banksByLine).as("lines scored").hasSize(LINES);
                assertThat(banksByLine.values())
                        .as("one bank per line, before and after the failure")
                        .allSatisfy(banks -> assertThat(banks).hasSize(1));
                assertThat(banksByLine.values().stream().flatMap(Set::stream).distinct().count())
                        .as("a bank of its own per line (each line's shots differ)")
                        .isEqualTo(LINES);
                for (int line = 0; line < LINES; line++) {
                    String id = lineId(line);
                    assertThat(Scores.distinctFrameIdsInOrder(delivered, id))
                            .as("the scores of %s in frame order", id)
                            .isEqualTo(
                                    burst.stream()
                                            .filter(f -> f.getLineId().equals(id))
                                            .map(Frame::getFrameId)
                                            .toList());
                }

                stats.getHistory().getCheckpoints().stream()
                        .filter(
                                c ->
                                        c
                                                instanceof
                                                org.apache.flink.runtime.checkpoint
                                                        .FailedCheckpointStats)
                        .forEach(
                                c ->
                                        System.out.println(
                                                "ScaleITCase: checkpoint "
                                                        + c.getCheckpointId()
                                                        + " failed: "
                                                        + ((org.apache.flink.runtime.checkpoint
                                                                                .FailedCheckpointStats)
                                                                        c)
                                                                .getFailureMessage()));
                System.out.printf(
                        "ScaleITCase: %d lines x %d shots; shots applied after %.1f s; burst of %d"
                                + " frames sent in %.1f s, scored (committed) %.1f s after it was"
                                + " sent; failure injected at %d uncommitted scores; %d checkpoints"
                                + " completed, %d failed; latest %d bytes in %d ms; restored %s;"
                                + " heap retained after GC max %d MiB (%d collections), direct max %d"
                                + " MiB, mapped max %d MiB%n",
                        LINES,
                        SHOTS,
                        seconds(started, shotsApplied),
                        burst.size(),
                        seconds(shotsApplied, burstSent),
                        seconds(burstSent, burstScored),
                        scoredAtFailure,
                        completed(stats),
                        stats.getCounts().getNumberOfFailedCheckpoints(),
                        latest.getStateSize(),
                        latest.getEndToEndDuration(),
                        job.restoredCheckpoint().orElseThrow(),
                        memory.maxHeapAfterGc() / MIB,
                        memory.collections(),
                        memory.maxDirect() / MIB,
                        memory.maxMapped() / MIB);
            }

            restoresEveryLineFromTheLineStateTopic(
                    broker,
                    cluster,
                    topics,
                    committed,
                    committedEvents,
                    applied,
                    banksByLine,
                    burst);

            System.out.printf(
                    "ScaleITCase: both runs: heap retained after GC max %d MiB (%d collections),"
                            + " direct max %d MiB%n",
                    memory.maxHeapAfterGc() / MIB, memory.collections(), memory.maxDirect() / MIB);
            assertThat(memory.collections()).as("garbage collections seen").isPositive();
            assertThat(memory.maxHeapAfterGc())
                    .as("heap retained after collections")
                    .isLessThanOrEqualTo(HEAP_BOUND);
            assertThat(memory.maxDirect()).as("direct buffers").isLessThanOrEqualTo(DIRECT_BOUND);
        }
    }

    /**
     * The second run: every checkpoint is lost (the folder deleted) and a job starts with none,
     * with a new consumer group, so that it reads the control topic (the 80 set-shots commands) and
     * the frames (the whole burst) again from the beginning. It restores every line from the
     * line-state topic before any input: each frame is scored again, against the same shots version
     * and bank hash as in the first run; the replayed commands are neither applied nor answered
     * again. Its decoded-bank cache holds a few of its 40 lines' banks, so that nearly every batch
     * decodes its banks again and evicts others': their direct memory must be freed at once for the
     * memory bound to hold.
     */
    private void restoresEveryLineFromTheLineStateTopic(
            EmbeddedKafkaBroker broker,
            MiniCluster cluster,
            InspectionTopics topics,
            OutputReader<AnomalyScore> committed,
            OutputReader<ControlEvent> committedEvents,
            Map<String, ControlEvent> applied,
            Map<String, Set<String>> banksByLine,
            List<Frame> burst)
            throws Exception {
        Path checkpoints = temp.resolve("checkpoints");
        Folders.deleteTree(checkpoints);
        assertThat(checkpoints).doesNotExist();
        JobUnderTest.Builder builder =
                JobUnderTest.builder(broker, topics)
                        .deliveryMode(DeliveryMode.EXACTLY_ONCE)
                        .stateBackend(StateBackendKind.HASHMAP)
                        .set(InspectionJobOptions.CAPACITY, CAPACITY)
                        .set(InspectionJobOptions.TIMEOUT, BUILD_TIMEOUT)
                        .set(InspectionJobOptions.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL)
                        .set(InspectionJobOptions.DECODED_BANK_CACHE_MEMORY, SMALL_DECODED_CACHE)
                        .set(
                                InspectionJobOptions.CHECKPOINT_DIR,
                                temp.resolve("checkpoints-2").toUri().toString());
        long started = System.nanoTime();
        try (JobUnderTest job = builder.start(cluster)) {
            job.awaitRunning();
            List<AnomalyScore> all =
                    committed.awaitUntil(
                            read -> read.size() >= 2 * burst.size(),
                            "the committed scores of the burst, scored again by the second job",
                            SCORING_DEADLINE);
            long scored = System.nanoTime();
            all = committed.awaitSettled();

            assertThat(job.restoredCheckpoint()).as("no checkpoint to restore").isEmpty();
            Map<String, List<AnomalyScore>> byId =
                    all.stream().collect(Collectors.groupingBy(AnomalyScore::getScoreId));
            assertThat(byId.values())
                    .as("each frame scored once by each job")
                    .allSatisfy(copies -> assertThat(copies).hasSize(2));
            assertThat(all)
                    .as("every score of both jobs, against the line's shots of the first")
                    .allSatisfy(
                            score -> {
                                assertThat(score.getStatus()).isEqualTo(ScoreStatus.SCORED);
                                assertThat(score.getShotsVersion())
                                        .as("shots version of %s", score.getScoreId())
                                        .isEqualTo(
                                                applied.get(score.getLineId()).getShotsVersion());
                                assertThat(Set.of(score.getShotsHash()))
                                        .as("bank hash of %s", score.getScoreId())
                                        .isEqualTo(banksByLine.get(score.getLineId()));
                            });
            assertThat(committedEvents.awaitSettled())
                    .as(
                            "committed control events: each set-shots command answered once,"
                                    + " across the failover and by the second job")
                    .extracting(ControlEvent::getCommandId)
                    .doesNotHaveDuplicates()
                    .hasSize(LINES);
            System.out.printf(
                    "ScaleITCase: second run without checkpoints: %d lines restored from the"
                            + " line-state topic; the burst of %d frames scored again within"
                            + " %.1f s of the start%n",
                    banksByLine.size(), burst.size(), seconds(started, scored));
        }
    }

    static String lineId(int line) {
        return String.format("scale-%02d", line);
    }

    /**
     * A line's shots: 15 pictures of parts shared by all lines and one grey square of the line's
     * own, so that every line has a bank of its own.
     */
    private static List<FrameImage> shots(int line) {
        List<FrameImage> shots = new ArrayList<>(Records.shots(SHOTS - 1, 0));
        shots.add(
                Records.image(ImageEncoding.PNG, 64, 64, TestImages.png(64, 64, 3 * line, false)));
        return shots;
    }

    /** Each line's frames, lines interleaved as their cameras would send them. */
    private static List<Frame> burst() {
        List<FrameImage> pictures = new ArrayList<>();
        for (int variant = 0; variant < 5; variant++) {
            pictures.add(Records.png(Images.png(variant)));
        }
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < BURST_FRAMES_PER_LINE; i++) {
            for (int line = 0; line < LINES; line++) {
                frames.add(
                        Records.frame(
                                lineId(line),
                                String.format("burst-%03d", i),
                                pictures.get((i + line) % pictures.size())));
            }
        }
        return frames;
    }

    private static Map<String, ControlEvent> awaitApplied(JobIo io) {
        List<ControlEvent> events =
                io.events.awaitUntil(
                        read -> read.size() >= LINES,
                        "the control events of " + LINES + " set-shots commands",
                        SCORING_DEADLINE);
        Map<String, ControlEvent> applied = new HashMap<>();
        for (ControlEvent event : events) {
            assertThat(event.getOutcome())
                    .as(event.getCommandId())
                    .isEqualTo(ControlOutcome.APPLIED);
            assertThat(event.getShotCount()).as(event.getCommandId()).isEqualTo(SHOTS);
            applied.put(event.getLineId(), event);
        }
        assertThat(applied).hasSize(LINES);
        return applied;
    }

    /**
     * Waits until a checkpoint completed since the burst was sent and some of its frames were
     * scored (so that the failure aborts scores already written), and returns how many of its
     * frames have a score written (committed or not) then; fails if half the burst was scored.
     */
    private static int awaitCheckpointsDuringBurst(
            JobUnderTest job, JobIo io, List<Frame> burst, long checkpointsBefore)
            throws Exception {
        Instant deadline = Instant.now().plus(SCORING_DEADLINE);
        int scored = 0;
        while (completed(job.checkpointStats()) < checkpointsBefore + 1
                || scored < SCORED_BEFORE_FAILURE) {
            assertThat(Instant.now())
                    .as("time to a checkpoint and %d scores", SCORED_BEFORE_FAILURE)
                    .isBefore(deadline);
            TimeUnit.MILLISECONDS.sleep(100); // polling interval of a bounded wait
            scored = scoredFrames(io.scores.readNow());
        }
        assertThat(scored)
                .as("frames of the burst scored when the failure is injected (of %d)", burst.size())
                .isLessThan(burst.size() / 2);
        return scored;
    }

    /** Waits until the armed failure happened (the source reads on while frames wait). */
    private static void awaitInjectedFailure(JobIo io, List<Frame> burst) throws Exception {
        Instant deadline = Instant.now().plus(SCORING_DEADLINE);
        while (FailOnDemand.failures() == 0) {
            assertThat(Instant.now()).as("time to the injected failure").isBefore(deadline);
            TimeUnit.MILLISECONDS.sleep(50); // polling interval of a bounded wait
        }
        assertThat(scoredFrames(io.scores.readNow()))
                .as("frames scored when the failure happened: it is mid-burst")
                .isLessThan(burst.size());
    }

    private static int scoredFrames(List<AnomalyScore> scores) {
        return (int) scores.stream().map(AnomalyScore::getScoreId).distinct().count();
    }

    private static long completed(CheckpointStatsSnapshot stats) {
        return stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    private static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
