package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line at its most shots keeps its shot images in its line-state record, and that record fits the
 * line-state topic as the job sizes it ({@link InspectionTopics#largestLineStateRecord}, what
 * {@code inctrl topics create} gives the topic and the job's startup check asks of it): the broker
 * takes it, and the job neither fails a checkpoint nor restarts. The topic used to be sized for the
 * model's largest bank alone (here 2 shots of the tiny model, 174 kB): the broker refused the
 * record (RecordTooLargeException), and the job restarted on every attempt to write it, scoring no
 * line.
 */
@ExtendWith(SharedKafka.class)
@Timeout(300)
class LineStateTopicSizeITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    private static final int MAX_SHOTS = 2;

    /** Raw RGB shots of this side: 77 kB each, more than a record's framing allowance. */
    private static final int SHOT_SIDE = 160;

    @Test
    void aLineAtItsMostShotsWritesItsStateWithItsImagesToTheTopicAsSized(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster, @TempDir Path dir)
            throws Exception {
        Configuration settings = new Configuration();
        settings.set(InspectionJobOptions.MAX_SHOTS_PER_LINE, MAX_SHOTS);
        InspectionTopics topics =
                InspectionTopics.withPrefix(
                        "line-state-size-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        broker.createTopics(
                topics.withPartitions(TestTopics.PARTITIONS),
                Map.of(
                        topics.lineState(),
                        InspectionTopics.lineStateTopicConfig(
                                InspectionTopics.largestLineStateRecord(settings))));
        List<FrameImage> shots =
                List.of(rawShot(120), rawShot(140)); // MAX_SHOTS distinct normal parts
        try (JobIo io = new JobIo(broker, topics, false);
                OutputReader<LineState> lineStates =
                        OutputReader.uncommitted(
                                broker.bootstrapServers(),
                                topics.lineState(),
                                AvroCodec.lineStates());
                JobUnderTest job =
                        JobUnderTest.builder(broker, topics)
                                .checkpointsOnDemand()
                                .set(InspectionJobOptions.MAX_SHOTS_PER_LINE, MAX_SHOTS)
                                .set(
                                        InspectionJobOptions.CHECKPOINT_DIR,
                                        dir.resolve("checkpoints").toUri().toString())
                                .start(cluster)) {
            assertThat(
                            io.apply(Records.command("line-full", "full", Records.setShots(shots)))
                                    .getOutcome())
                    .isEqualTo(ControlOutcome.APPLIED);
            job.checkpoint();

            LineState state =
                    lineStates
                            .awaitUntil(
                                    read -> !read.isEmpty(), "the line-state record of line-full")
                            .get(0);
            assertThat(state.getShotCount()).isEqualTo(MAX_SHOTS);
            assertThat(state.getShots())
                    .as("the line's shot images, kept for a rebuild under another model")
                    .hasSize(MAX_SHOTS);
            assertThat(job.highestAttempt()).as("restarts of the job").isZero();
            assertThat(job.checkpointStats().getCounts().getNumberOfFailedCheckpoints())
                    .as("failed checkpoints")
                    .isZero();
        }
    }

    private static FrameImage rawShot(int grey) {
        return Records.image(
                ImageEncoding.RGB8,
                SHOT_SIDE,
                SHOT_SIDE,
                TestImages.rgb8(SHOT_SIDE, SHOT_SIDE, grey, false));
    }
}
