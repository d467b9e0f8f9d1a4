package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.AlertPolicy;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.SetAlertPolicy;
import io.inctrlstream.schema.SetCategory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input through Kafka, between good frames: records that are not ours, not valid or too large
 * become dead letters with their reason and provenance; frames whose image does not decode become
 * FAILED scores with the reason and dead letters with the image decoder's reason; commands that
 * cannot apply are REJECTED with the reason and leave the line as it was. The job never restarts,
 * and the good frames around the bad records are scored against the line's shots.
 */
@ExtendWith(SharedKafka.class)
@Timeout(180)
class BadInputITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    private static final String LINE = "line-bad";
    private static final int FRAME_MAX_BYTES = 64 * 1024;
    private static final long MAX_PIXELS = 1_000_000;
    private static final int MAX_SHOTS = 3;
    private static final int DEAD_LETTER_MAX_BYTES = 1024;

    /** What a bad record must become. */
    private record Expected(DeadLetterReason reason, String message, byte[] value) {}

    private final Map<String, Expected> deadLetters = new LinkedHashMap<>();
    private final List<Frame> goodFrames = new ArrayList<>();
    private JobIo io;
    private int frames;

    @Test
    void badRecordsEndVisiblyAndTheGoodOnesAroundThemAreScored(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        InspectionTopics topics = TestTopics.create(broker, "bad-input");
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job =
                        JobUnderTest.builder(broker, topics)
                                .set(
                                        InspectionJobOptions.FRAME_MAX_BYTES,
                                        new MemorySize(FRAME_MAX_BYTES))
                                .set(InspectionJobOptions.MAX_PIXELS, MAX_PIXELS)
                                .set(InspectionJobOptions.MAX_SHOTS_PER_LINE, MAX_SHOTS)
                                .set(
                                        InspectionJobOptions.DEAD_LETTER_MAX_BYTES,
                                        new MemorySize(DEAD_LETTER_MAX_BYTES))
                                .start(cluster)) {
            this.io = io;
            ControlEvent shots =
                    io.apply(
                            Records.command(
                                    LINE, "bad-set-shots", Records.setShots(Records.shots(2, 0))));
            assertThat(shots.getOutcome()).isEqualTo(ControlOutcome.APPLIED);

            sendBadFrames();
            List<String> rejected = sendBadCommands();
            good();

            // Dead letters: one per refused record and per frame whose image does not decode, with
            // its reason and provenance.
            List<DeadLetter> letters =
                    io.deadLetters.awaitUntil(
                            read -> read.size() >= deadLetters.size(),
                            deadLetters.size() + " dead letters");
            assertThat(letters).hasSize(deadLetters.size());
            for (DeadLetter letter : letters) {
                String where =
                        letter.getSourceTopic()
                                + "/"
                                + letter.getPartition()
                                + "/"
                                + letter.getOffset();
                Expected expected = deadLetters.get(where);
                assertThat(expected).as("a dead letter of a record sent: %s", where).isNotNull();
                assertThat(letter.getReasonCode()).as(where).isEqualTo(expected.reason().name());
                assertThat(letter.getReason()).as(where).contains(expected.message());
                assertThat(bytes(letter.getKey())).isEqualTo(RecordIds.lineKey(LINE));
                assertThat(letter.getOriginalSize()).isEqualTo(expected.value().length);
                assertThat(letter.getTruncated())
                        .isEqualTo(expected.value().length > DEAD_LETTER_MAX_BYTES);
                assertThat(bytes(letter.getOriginalBytes()))
                        .isEqualTo(
                                Arrays.copyOf(
                                        expected.value(),
                                        Math.min(expected.value().length, DEAD_LETTER_MAX_BYTES)));
            }

            // Rejected commands: an audit event each, with the reason; the line is unchanged.
            Map<String, ControlEvent> events =
                    rejected.stream()
                            .map(io::awaitEvent)
                            .collect(
                                    Collectors.toMap(
                                            ControlEvent::getCommandId, Function.identity()));
            assertThat(events.values())
                    .allSatisfy(
                            event -> {
                                assertThat(event.getOutcome())
                                        .as(event.getCommandId())
                                        .isEqualTo(ControlOutcome.REJECTED);
                                assertThat(event.getShotsVersion())
                                        .isEqualTo(shots.getShotsVersion());
                                assertThat(event.getShotCount()).isEqualTo(shots.getShotCount());
                            });
            assertThat(events.get("empty-shots").getReason())
                    .isEqualTo("set shots needs at least one shot image, found none");
            assertThat(events.get("too-many-shots").getReason())
                    .contains("would have 4 shots, more than the maximum of " + MAX_SHOTS);
            assertThat(events.get("too-many-added").getReason())
                    .contains("would have 4 shots, more than the maximum of " + MAX_SHOTS);
            assertThat(events.get("corrupt-shot").getReason())
                    .contains("shot image 0")
                    .contains("IMAGE_CORRUPT");
            assertThat(events.get("threshold-out-of-range").getReason())
                    .isEqualTo("threshold must be a number in [0, 1], found 1.5");
            assertThat(events.get("blank-category").getReason())
                    .isEqualTo("set category needs a category name, found none");
            assertThat(events.get("long-category").getReason())
                    .isEqualTo(
                            "set category: category is too long: expected at most 256"
                                    + " characters, found 300000");
            assertThat(events.get("policy-k-above-n").getReason()).isNotBlank();

            // Frames whose image does not decode: a FAILED score with the reason.
            Map<String, AnomalyScore> scores =
                    io.awaitScores(goodFrames).stream()
                            .collect(
                                    Collectors.toMap(
                                            AnomalyScore::getFrameId,
                                            Function.identity(),
                                            (a, b) -> a));
            assertThat(scores.get("corrupt-jpeg").getStatus()).isEqualTo(ScoreStatus.FAILED);
            assertThat(scores.get("corrupt-jpeg").getFailureReason()).startsWith("IMAGE_CORRUPT");
            assertThat(scores.get("truncated-png").getStatus()).isEqualTo(ScoreStatus.FAILED);
            assertThat(scores.get("truncated-png").getFailureReason()).startsWith("IMAGE_CORRUPT");
            assertThat(scores.get("png-bomb").getStatus()).isEqualTo(ScoreStatus.FAILED);
            assertThat(scores.get("png-bomb").getFailureReason()).startsWith("IMAGE_TOO_LARGE");
            for (String failed : List.of("corrupt-jpeg", "truncated-png", "png-bomb")) {
                assertThat(scores.get(failed).getAnomalous()).isFalse();
            }

            // The good frames around all of it: scored against the line's shots.
            assertThat(goodFrames.stream().filter(f -> f.getFrameId().startsWith("good-")))
                    .hasSizeGreaterThanOrEqualTo(deadLetters.size())
                    .allSatisfy(
                            frame -> {
                                AnomalyScore score = scores.get(frame.getFrameId());
                                assertThat(score.getStatus())
                                        .as(frame.getFrameId())
                                        .isEqualTo(ScoreStatus.SCORED);
                                assertThat(score.getShotsVersion())
                                        .isEqualTo(shots.getShotsVersion());
                            });
            assertThat(job.highestAttempt()).as("no record restarted the job").isZero();
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
    }

    private void sendBadFrames() {
        good();
        deadFrame(
                "{\"lineId\": \"line-bad\", \"frameId\": \"json\"}"
                        .getBytes(StandardCharsets.UTF_8),
                DeadLetterReason.NOT_SINGLE_OBJECT,
                "expected Avro single-object encoding");
        good();
        deadFrame(new byte[0], DeadLetterReason.NOT_SINGLE_OBJECT, "");
        good();
        deadFrame(
                Records.unknownFingerprint(new byte[] {2, 4, 6, 8}),
                DeadLetterReason.UNKNOWN_FINGERPRINT,
                "unknown schema fingerprint");
        good();
        deadFrame(
                Records.controlEventBytes(LINE),
                DeadLetterReason.UNKNOWN_FINGERPRINT,
                "ControlEvent");
        good();
        byte[] frame = Records.encode(Records.goodFrame(LINE, "cut-short"));
        deadFrame(
                Arrays.copyOf(frame, frame.length - 9),
                DeadLetterReason.MALFORMED,
                "malformed Frame");
        good();
        int side = 160; // 160 * 160 * 3 bytes: over the frame byte limit
        deadFrame(
                Records.encode(
                        Records.frame(
                                LINE,
                                "oversized",
                                Records.image(
                                        ImageEncoding.RGB8,
                                        side,
                                        side,
                                        new byte[side * side * 3]))),
                DeadLetterReason.FRAME_TOO_LARGE,
                "larger than the limit of " + FRAME_MAX_BYTES + " bytes");
        good();
        deadFrame(
                Records.encode(
                        Records.frame(
                                LINE,
                                "declares-too-many-pixels",
                                Records.image(ImageEncoding.JPEG, 5000, 5000, Images.jpeg(0)))),
                DeadLetterReason.FRAME_TOO_LARGE,
                "more than the limit of " + MAX_PIXELS);
        good();
        deadFrame(
                Records.encode(
                        Records.frame(
                                LINE,
                                "wrong-raw-size",
                                Records.image(
                                        ImageEncoding.RGB8,
                                        Images.SIDE,
                                        Images.SIDE,
                                        new byte[100]))),
                DeadLetterReason.INVALID_FRAME,
                "expected " + Images.SIDE * Images.SIDE * 3 + " bytes");
        good();
        failedFrame(
                "corrupt-jpeg",
                Records.image(
                        ImageEncoding.JPEG,
                        Images.SIDE,
                        Images.SIDE,
                        TestImages.corruptJpeg(Images.SIDE, Images.SIDE)),
                DeadLetterReason.IMAGE_CORRUPT);
        good();
        failedFrame(
                "truncated-png",
                Records.png(TestImages.truncatedPng(Images.SIDE, Images.SIDE)),
                DeadLetterReason.IMAGE_CORRUPT);
        good();
        // The record declares a small image; the PNG header inside claims 50000 x 50000.
        failedFrame(
                "png-bomb",
                Records.png(TestImages.pngHeaderBomb(50_000, 50_000)),
                DeadLetterReason.IMAGE_TOO_LARGE);
        good();
    }

    /** Sends the bad commands; returns the ids of those that must be rejected. */
    private List<String> sendBadCommands() {
        deadCommand(
                "not a command".getBytes(StandardCharsets.UTF_8),
                DeadLetterReason.NOT_SINGLE_OBJECT,
                "expected Avro single-object encoding");
        good();
        deadCommand(
                Records.commandWithActionBranchOutOfRange(LINE, "branch-out-of-range"),
                DeadLetterReason.MALFORMED,
                "malformed ControlCommand");
        good();
        deadCommand(
                Records.encode(Records.goodFrame(LINE, "frame-on-control")),
                DeadLetterReason.UNKNOWN_FINGERPRINT,
                "unknown schema fingerprint");
        good();
        deadCommand(
                Records.encode(
                        Records.command(
                                LINE,
                                "bad-raw-shot",
                                Records.setShots(
                                        List.of(
                                                Records.image(
                                                        ImageEncoding.GRAY8,
                                                        Images.SIDE,
                                                        Images.SIDE,
                                                        new byte[7]))))),
                DeadLetterReason.INVALID_COMMAND,
                "shot image 0");
        good();

        List<String> rejected = new ArrayList<>();
        rejectedCommand(rejected, "empty-shots", Records.setShots(List.of()));
        good();
        rejectedCommand(rejected, "too-many-shots", Records.setShots(Records.shots(4, 0)));
        good();
        rejectedCommand(rejected, "too-many-added", Records.addShots(Records.shots(2, 5)));
        good();
        FrameImage corrupt =
                Records.image(
                        ImageEncoding.JPEG,
                        Images.SIDE,
                        Images.SIDE,
                        TestImages.corruptJpeg(Images.SIDE, Images.SIDE));
        rejectedCommand(rejected, "corrupt-shot", Records.setShots(List.of(corrupt)));
        good();
        rejectedCommand(rejected, "threshold-out-of-range", Records.setThreshold(1.5));
        good();
        rejectedCommand(
                rejected, "blank-category", SetCategory.newBuilder().setCategory("  ").build());
        good();
        // Tokenizing a category this long would take the official model's tokenizer minutes.
        rejectedCommand(
                rejected,
                "long-category",
                SetCategory.newBuilder().setCategory("candle".repeat(50_000)).build());
        good();
        rejectedCommand(
                rejected,
                "policy-k-above-n",
                SetAlertPolicy.newBuilder()
                        .setPolicy(
                                AlertPolicy.newBuilder()
                                        .setMinAnomalous(5)
                                        .setWindow(3)
                                        .setCooldownMillis(0)
                                        .build())
                        .build());
        return rejected;
    }

    private void good() {
        Frame frame = Records.goodFrame(LINE, "good-" + frames++);
        goodFrames.add(frame);
        io.input.frame(frame);
    }

    /** A frame whose image does not decode: a FAILED score and a dead letter of its record. */
    private void failedFrame(String frameId, FrameImage image, DeadLetterReason reason) {
        Frame frame = Records.frame(LINE, frameId, image);
        goodFrames.add(frame); // it gets a score too: FAILED
        byte[] value = Records.encode(frame);
        expect(
                io.input.rawFrame(LINE, value),
                reason,
                "frame \""
                        + frameId
                        + "\" of line \""
                        + LINE
                        + "\" does not decode: "
                        + reason.name(),
                value);
    }

    private void deadFrame(byte[] value, DeadLetterReason reason, String message) {
        expect(io.input.rawFrame(LINE, value), reason, message, value);
    }

    private void deadCommand(byte[] value, DeadLetterReason reason, String message) {
        expect(io.input.rawCommand(LINE, value), reason, message, value);
    }

    private void rejectedCommand(List<String> rejected, String commandId, Object action) {
        io.input.command(Records.command(LINE, commandId, action));
        rejected.add(commandId);
    }

    private void expect(
            RecordMetadata sent, DeadLetterReason reason, String message, byte[] value) {
        deadLetters.put(
                sent.topic() + "/" + sent.partition() + "/" + sent.offset(),
                new Expected(reason, message, value));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
