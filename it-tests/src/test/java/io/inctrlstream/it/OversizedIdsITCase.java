package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A frame or a command whose id is far longer than any id a camera or a control plane gives, yet
 * within the record limits, ends as a dead letter: the job copies those ids into every score and
 * control event (twice, with the score's and the event's own id), so a 600 kB frame id made a 1.2
 * MB score, more than the scores topic takes. The broker refused it (RecordTooLargeException) and
 * the job restarted on every attempt, scoring no line. The same held for a record under a 600 kB
 * Kafka key: its dead letter carried the key twice (its own key and its key field). Here the lines
 * around the bad records keep being scored and answered, without a restart.
 */
@ExtendWith(SharedKafka.class)
@Timeout(300)
class OversizedIdsITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    private static final String LINE = "line-ids";

    /** Below the frames and control topics' 1 MB, above half the outputs' 1 MB. */
    private static final int LONG_ID_CHARS = 600_000;

    @Test
    void recordsWithOversizedIdsAreDeadLettersAndTheJobKeepsScoring(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        InspectionTopics topics = TestTopics.create(broker, "oversized-ids");
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job = JobUnderTest.builder(broker, topics).start(cluster)) {
            assertThat(
                            io.apply(
                                            Records.command(
                                                    LINE,
                                                    "ids-shots",
                                                    Records.setShots(Records.shots(2, 0))))
                                    .getOutcome())
                    .isEqualTo(ControlOutcome.APPLIED);

            String longId = "x".repeat(LONG_ID_CHARS);
            io.input.frame(Records.frame(LINE, longId, Records.png(Images.png(1))));
            ControlCommand longCommand = Records.command(LINE, longId, Records.setThreshold(0.5));
            io.input.command(longCommand);
            // A frame of the line under a key that is not its line id (KEY_MISMATCH), and huge:
            // its dead letter carries the key and is keyed by it.
            io.input.send(
                    new ProducerRecord<>(
                            topics.frames(),
                            longId.getBytes(StandardCharsets.UTF_8),
                            Records.encode(Records.goodFrame(LINE, "long-key"))));
            Frame good = Records.goodFrame(LINE, "after-long-ids");
            io.input.frame(good);
            ControlCommand goodCommand =
                    Records.command(LINE, "ids-threshold", Records.setThreshold(0.4));

            assertThat(io.apply(goodCommand).getOutcome()).isEqualTo(ControlOutcome.APPLIED);
            assertThat(io.awaitScores(List.of(good)))
                    .filteredOn(score -> score.getFrameId().equals("after-long-ids"))
                    .singleElement()
                    .satisfies(
                            score -> assertThat(score.getStatus()).isEqualTo(ScoreStatus.SCORED));
            List<DeadLetter> letters =
                    io.deadLetters.awaitUntil(read -> read.size() >= 3, "three dead letters");
            String limit = "at most " + RecordIds.MAX_INPUT_ID_LENGTH + " characters";
            assertThat(letters)
                    .extracting(DeadLetter::getReasonCode, DeadLetter::getSourceTopic)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    DeadLetterReason.INVALID_FRAME.name(), topics.frames()),
                            org.assertj.core.groups.Tuple.tuple(
                                    DeadLetterReason.INVALID_COMMAND.name(), topics.control()),
                            org.assertj.core.groups.Tuple.tuple(
                                    DeadLetterReason.KEY_MISMATCH.name(), topics.frames()));
            assertThat(letters)
                    .filteredOn(letter -> !letter.getReasonCode().equals("KEY_MISMATCH"))
                    .allSatisfy(
                            letter ->
                                    assertThat(letter.getReason())
                                            .contains(limit)
                                            .contains("found " + LONG_ID_CHARS)
                                            .hasSizeLessThan(1024));
            assertThat(io.scores.awaitSettled())
                    .as("no score of the frame with the long id")
                    .noneMatch(score -> score.getFrameId().length() > 1000);
            assertThat(job.highestAttempt()).as("restarts of the job").isZero();
        }
    }
}
