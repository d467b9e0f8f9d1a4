package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every frame written to Kafka gets its score on the scores topic: exactly one per frame id for a
 * read-committed consumer in exactly-once mode; at least one in at-least-once mode, any repeat
 * identical to the first but for the time it was scored.
 */
@ExtendWith(SharedKafka.class)
@Timeout(180)
class DeliveryGuaranteeITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    private static final List<String> LINES = List.of("line-a", "line-b", "line-c");
    private static final int FRAMES_PER_LINE = 6;

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void everyFrameIsScored(
            DeliveryMode mode, EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        InspectionTopics topics =
                TestTopics.create(broker, "delivery-" + mode.name().toLowerCase());
        boolean exactlyOnce = mode == DeliveryMode.EXACTLY_ONCE;
        try (JobIo io = new JobIo(broker, topics, exactlyOnce);
                JobUnderTest job =
                        JobUnderTest.builder(broker, topics).deliveryMode(mode).start(cluster)) {
            for (String line : LINES) {
                assertThat(
                                io.apply(
                                                Records.command(
                                                        line,
                                                        line + "-shots",
                                                        Records.setShots(Records.shots(2, 0))))
                                        .getOutcome())
                        .isEqualTo(ControlOutcome.APPLIED);
            }

            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < FRAMES_PER_LINE; i++) {
                for (String line : LINES) {
                    frames.add(Records.goodFrame(line, String.format("f-%03d", i)));
                }
            }
            io.send(frames);
            io.awaitScores(frames);
            List<AnomalyScore> scores = io.scores.awaitSettled();

            Map<String, List<AnomalyScore>> byId =
                    scores.stream().collect(Collectors.groupingBy(AnomalyScore::getScoreId));
            assertThat(byId.keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            frames.stream()
                                    .map(f -> RecordIds.scoreId(f.getLineId(), f.getFrameId()))
                                    .toList());
            if (exactlyOnce) {
                assertThat(byId.values()).allSatisfy(copies -> assertThat(copies).hasSize(1));
            } else {
                byId.values().forEach(Scores::assertIdenticalCopies);
            }
            assertThat(scores)
                    .allSatisfy(
                            score -> {
                                assertThat(score.getStatus()).isEqualTo(ScoreStatus.SCORED);
                                assertThat(score.getShotsVersion()).isEqualTo(1L);
                                assertThat(score.getFinalScore()).isBetween(0f, 1f);
                                assertThat(score.getModelId()).isEqualTo(Scores.modelId());
                            });
            assertThat(job.highestAttempt()).as("the job never restarted").isZero();
            // Per line, scores leave in frame order (one key, one partition).
            for (String line : LINES) {
                assertThat(Scores.distinctFrameIdsInOrder(scores, line))
                        .isEqualTo(
                                frames.stream()
                                        .filter(f -> f.getLineId().equals(line))
                                        .map(Frame::getFrameId)
                                        .toList());
            }
        }
    }
}
