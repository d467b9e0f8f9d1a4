package io.inctrlstream.job.internal;

import static io.inctrlstream.job.TestRecords.CONTROL;
import static io.inctrlstream.job.TestRecords.FRAMES;
import static io.inctrlstream.job.TestRecords.command;
import static io.inctrlstream.job.TestRecords.encode;
import static io.inctrlstream.job.TestRecords.frame;
import static io.inctrlstream.job.TestRecords.image;
import static io.inctrlstream.job.TestRecords.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.TestRecords;
import io.inctrlstream.job.inference.AlertPolicy;
import io.inctrlstream.job.inference.CommandAction;
import io.inctrlstream.job.inference.FrameToScore;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.inference.RecordProvenance;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.SetCategory;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decode and validate stage: what becomes a line input, and every kind of dead letter. */
class InputDecoderTest {
    private static final int FRAME_MAX = 4096;
    private static final int COMMAND_MAX = 8192;
    private static final long MAX_PIXELS = 10_000;
    private static final int DEAD_LETTER_MAX = 64;
    private static final byte[] PIXELS = new byte[16 * 8 * 3];

    private OneInputStreamOperatorTestHarness<RawRecord, LineInput> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new InputDecoder(
                                new InputLimits(
                                        FRAMES,
                                        CONTROL,
                                        FRAME_MAX,
                                        COMMAND_MAX,
                                        MAX_PIXELS,
                                        DEAD_LETTER_MAX)));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<LineInput> inputs() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() throws Exception {
        AvroCodec<DeadLetter> codec = AvroCodec.deadLetters();
        List<DeadLetter> letters = new java.util.ArrayList<>();
        var side = harness.getSideOutput(InputDecoder.DEAD_LETTERS);
        if (side != null) {
            for (StreamRecord<OutboundRecord> record : side) {
                letters.add(codec.decode(record.getValue().value()));
            }
        }
        return letters;
    }

    private DeadLetter onlyDeadLetter(RawRecord record) throws Exception {
        harness.processElement(record, 1L);
        assertThat(inputs()).isEmpty();
        List<DeadLetter> letters = deadLetters();
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    private static RawRecord rgbFrame(
            String line, String frameId, int width, int height, byte[] data) {
        return raw(
                FRAMES,
                3,
                line,
                encode(frame(line, frameId, 5, image(ImageEncoding.RGB8, width, height, data))));
    }

    @Test
    void aValidFrameBecomesAFrameToScore() throws Exception {
        harness.setProcessingTime(55L);
        RawRecord record = rgbFrame("line-1", "f-1", 16, 8, PIXELS);
        harness.processElement(record, 1L);

        assertThat(deadLetters()).isEmpty();
        FrameToScore frame = inputs().get(0).frame();
        assertThat(frame.lineId()).isEqualTo("line-1");
        assertThat(frame.cameraId()).isEqualTo("camera-1");
        assertThat(frame.frameId()).isEqualTo("f-1");
        assertThat(frame.captureTimeMillis()).isEqualTo(TestRecords.CAPTURE_BASE + 5);
        assertThat(frame.image().encoding())
                .isEqualTo(io.inctrlstream.job.inference.ImageEncoding.RGB8);
        assertThat(frame.image().width()).isEqualTo(16);
        assertThat(frame.image().height()).isEqualTo(8);
        assertThat(frame.image().data()).isEqualTo(PIXELS);
        // For the dead letter, should the image not decode later: the value cut as dead letters
        // cut.
        RecordProvenance provenance = frame.provenance();
        assertThat(provenance.topic()).isEqualTo(FRAMES);
        assertThat(provenance.partition()).isZero();
        assertThat(provenance.offset()).isEqualTo(3L);
        assertThat(provenance.key()).isEqualTo(RecordIds.lineKey("line-1"));
        assertThat(provenance.valueSize()).isEqualTo(record.value().length);
        assertThat(provenance.valuePrefix())
                .isEqualTo(Arrays.copyOf(record.value(), DEAD_LETTER_MAX));
        assertThat(provenance.truncated()).isTrue();
        assertThat(provenance.receivedTimeMillis()).isEqualTo(55L);
    }

    @Test
    void aFrameWithinTheDeadLetterMaximumKeepsItsWholeValueAsProvenance() throws Exception {
        byte[] tiny = {1, 2, 3};
        RawRecord record =
                raw(
                        FRAMES,
                        9,
                        "l",
                        encode(frame("l", "f", 5, image(ImageEncoding.GRAY8, 1, 3, tiny))));
        assertThat(record.value().length).isLessThanOrEqualTo(DEAD_LETTER_MAX);
        harness.processElement(record, 1L);

        RecordProvenance provenance = inputs().get(0).frame().provenance();
        assertThat(provenance.valuePrefix()).isEqualTo(record.value());
        assertThat(provenance.truncated()).isFalse();
    }

    @Test
    void everyActionBecomesItsLineCommand() throws Exception {
        var shot = image(ImageEncoding.PNG, 4, 4, new byte[] {1, 2, 3});
        List<Object> actions =
                List.of(
                        io.inctrlstream.schema.SetShots.newBuilder()
                                .setImages(List.of(shot))
                                .setCategory("candle")
                                .build(),
                        TestRecords.addShots(List.of(shot, shot)),
                        TestRecords.clearShots(),
                        TestRecords.setThreshold(0.25),
                        SetCategory.newBuilder().setCategory("screw").build(),
                        TestRecords.setAlertPolicy(2, 5, 7_000));
        for (int i = 0; i < actions.size(); i++) {
            harness.processElement(
                    raw(CONTROL, i, "line-1", encode(command("line-1", "c-" + i, actions.get(i)))),
                    1L);
        }

        assertThat(deadLetters()).isEmpty();
        List<LineCommand> commands =
                inputs().stream().map(LineInput::command).collect(Collectors.toList());
        assertThat(commands)
                .extracting(LineCommand::action)
                .containsExactly(
                        CommandAction.SET_SHOTS,
                        CommandAction.ADD_SHOTS,
                        CommandAction.CLEAR_SHOTS,
                        CommandAction.SET_THRESHOLD,
                        CommandAction.SET_CATEGORY,
                        CommandAction.SET_ALERT_POLICY);
        assertThat(commands.get(0).shots()).hasSize(1);
        assertThat(commands.get(0).category()).isEqualTo("candle");
        assertThat(commands.get(1).shots()).hasSize(2);
        assertThat(commands.get(3).threshold()).isEqualTo(0.25);
        assertThat(commands.get(4).category()).isEqualTo("screw");
        assertThat(commands.get(5).alertPolicy()).isEqualTo(new AlertPolicy(2, 5, 7_000));
        assertThat(commands.get(0).commandId()).isEqualTo("c-0");
        assertThat(commands.get(0).issuedBy()).isEqualTo("tester");
        assertThat(commands.get(0).issuedAtMillis()).isEqualTo(TestRecords.CAPTURE_BASE);
    }

    @Test
    void aThresholdOfNegativeZeroBecomesZero() throws Exception {
        // found by LineInputFuzzTest (regression input found-negative-zero-threshold)
        harness.processElement(
                raw(
                        CONTROL,
                        0,
                        "line-1",
                        encode(command("line-1", "c-0", TestRecords.setThreshold(-0.0)))),
                1L);

        assertThat(deadLetters()).isEmpty();
        double threshold = inputs().get(0).command().threshold();
        assertThat(Double.doubleToRawLongBits(threshold))
                .as("the bits of %s", threshold)
                .isEqualTo(Double.doubleToRawLongBits(0.0));
    }

    @Test
    void bytesThatAreNotAvroBecomeADeadLetterWithProvenanceAndTheTruncatedValue() throws Exception {
        byte[] json =
                ("{\"lineId\": \"line-1\", \"padding\": \"" + "x".repeat(100) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
        RawRecord record = new RawRecord(FRAMES, 4, 77, RecordIds.lineKey("line-1"), json, 1L);

        DeadLetter letter = onlyDeadLetter(record);

        assertThat(letter.getReasonCode()).isEqualTo("NOT_SINGLE_OBJECT");
        assertThat(letter.getReason()).contains("expected Avro single-object encoding of a Frame");
        assertThat(letter.getSourceTopic()).isEqualTo(FRAMES);
        assertThat(letter.getPartition()).isEqualTo(4);
        assertThat(letter.getOffset()).isEqualTo(77);
        assertThat(letter.getKey()).isEqualTo(ByteBuffer.wrap(RecordIds.lineKey("line-1")));
        assertThat(letter.getOriginalSize()).isEqualTo(json.length);
        assertThat(letter.getTruncated()).isTrue();
        assertThat(letter.getOriginalBytes())
                .isEqualTo(ByteBuffer.wrap(Arrays.copyOf(json, DEAD_LETTER_MAX)));
        assertThat(letter.getReceivedTime()).isNotNull();
        List<StreamRecord<OutboundRecord>> side =
                List.copyOf(harness.getSideOutput(InputDecoder.DEAD_LETTERS));
        assertThat(side.get(0).getValue().key()).isEqualTo(RecordIds.lineKey("line-1"));
    }

    @Test
    void aDeadLetterKeepsAndIsKeyedByAtMostTheFirstBytesOfAHugeKey() throws Exception {
        byte[] hugeKey = "k".repeat(600_000).getBytes(StandardCharsets.UTF_8);
        byte[] value = encode(frame("line-1", "f-1", 0, image(ImageEncoding.RGB8, 16, 8, PIXELS)));

        DeadLetter letter = onlyDeadLetter(new RawRecord(FRAMES, 0, 1, hugeKey, value, 1L));

        assertThat(letter.getReasonCode()).isEqualTo("KEY_MISMATCH");
        assertThat(letter.getReason())
                .startsWith("frame \"f-1\" of line \"line-1\" has the key \"kkk")
                .contains("(600000 chars), expected the line id \"line-1\"");
        byte[] kept = Arrays.copyOf(hugeKey, DeadLetters.MAX_KEY_BYTES);
        assertThat(letter.getKey()).isEqualTo(ByteBuffer.wrap(kept));
        assertThat(harness.getSideOutput(InputDecoder.DEAD_LETTERS))
                .singleElement()
                .satisfies(record -> assertThat(record.getValue().key()).isEqualTo(kept));
    }

    @Test
    void aTombstoneWithoutKeyBecomesADeadLetterWithoutKey() throws Exception {
        DeadLetter letter = onlyDeadLetter(new RawRecord(CONTROL, 0, 1, null, null, 1L));

        assertThat(letter.getReasonCode()).isEqualTo("NOT_SINGLE_OBJECT");
        assertThat(letter.getKey()).isNull();
        assertThat(letter.getOriginalSize()).isZero();
        assertThat(letter.getTruncated()).isFalse();
    }

    @Test
    void aRecordOfAnotherSchemaIsAnUnknownFingerprint() throws Exception {
        byte[] commandBytes = encode(command("line-1", "c-1", TestRecords.clearShots()));

        DeadLetter letter = onlyDeadLetter(raw(FRAMES, 0, "line-1", commandBytes));

        assertThat(letter.getReasonCode()).isEqualTo("UNKNOWN_FINGERPRINT");
        assertThat(letter.getReason()).contains("ControlCommand");
    }

    @Test
    void aTruncatedRecordIsMalformed() throws Exception {
        byte[] bytes = encode(frame("line-1", "f-1", 0, image(ImageEncoding.RGB8, 16, 8, PIXELS)));

        DeadLetter letter =
                onlyDeadLetter(raw(FRAMES, 0, "line-1", Arrays.copyOf(bytes, bytes.length - 10)));

        assertThat(letter.getReasonCode()).isEqualTo("MALFORMED");
        assertThat(letter.getTruncated()).isTrue();
    }

    @Test
    void aFrameRecordOverTheByteLimitIsTooLargeBeforeItIsDecoded() throws Exception {
        byte[] big = new byte[FRAME_MAX + 1];

        DeadLetter letter = onlyDeadLetter(raw(FRAMES, 0, "line-1", big));

        assertThat(letter.getReasonCode()).isEqualTo("FRAME_TOO_LARGE");
        assertThat(letter.getReason())
                .isEqualTo(
                        "frame record of "
                                + (FRAME_MAX + 1)
                                + " bytes is larger than the limit of "
                                + FRAME_MAX
                                + " bytes");
    }

    @Test
    void aFrameDeclaringMorePixelsThanTheBudgetIsTooLarge() throws Exception {
        DeadLetter letter =
                onlyDeadLetter(
                        raw(
                                FRAMES,
                                0,
                                "line-1",
                                encode(
                                        frame(
                                                "line-1",
                                                "f-9",
                                                0,
                                                image(
                                                        ImageEncoding.JPEG,
                                                        1000,
                                                        1000,
                                                        new byte[] {1})))));

        assertThat(letter.getReasonCode()).isEqualTo("FRAME_TOO_LARGE");
        assertThat(letter.getReason())
                .isEqualTo(
                        "frame \"f-9\" of line \"line-1\" declares 1000x1000 = 1000000 pixels, more than the limit of "
                                + MAX_PIXELS);
    }

    @Test
    void idsLongerThanTheLimitAreInvalidAndIdsAtTheLimitPass() throws Exception {
        String atLimit = "f".repeat(RecordIds.MAX_INPUT_ID_LENGTH);
        String tooLong = "c".repeat(RecordIds.MAX_INPUT_ID_LENGTH + 1);
        var longCamera = frame("line-1", "f-2", 5, image(ImageEncoding.RGB8, 16, 8, PIXELS));
        longCamera.setCameraId(tooLong);
        List<RawRecord> records =
                List.of(
                        rgbFrame("line-1", atLimit, 16, 8, PIXELS),
                        rgbFrame("line-1", atLimit + "f", 16, 8, PIXELS),
                        raw(FRAMES, 4, "line-1", encode(longCamera)),
                        raw(
                                CONTROL,
                                0,
                                "line-1",
                                encode(command("line-1", tooLong, TestRecords.clearShots()))));
        for (RawRecord record : records) {
            harness.processElement(record, 1L);
        }

        assertThat(inputs())
                .singleElement()
                .satisfies(input -> assertThat(input.frame().frameId()).isEqualTo(atLimit));
        String expected = "is too long: expected at most 256 characters, found 257 (\"";
        assertThat(deadLetters())
                .extracting(DeadLetter::getReasonCode, DeadLetter::getReason)
                .satisfiesExactly(
                        letter ->
                                assertThat(letter.toList())
                                        .containsExactly(
                                                "INVALID_FRAME",
                                                "frame id of line \"line-1\" "
                                                        + expected
                                                        + "f".repeat(120)
                                                        + "...\" (257 chars))"),
                        letter ->
                                assertThat(letter.toList())
                                        .containsExactly(
                                                "INVALID_FRAME",
                                                "camera id of frame \"f-2\" of line \"line-1\" "
                                                        + expected
                                                        + "c".repeat(120)
                                                        + "...\" (257 chars))"),
                        letter ->
                                assertThat(letter.toList())
                                        .containsExactly(
                                                "INVALID_COMMAND",
                                                "command id of line \"line-1\" "
                                                        + expected
                                                        + "c".repeat(120)
                                                        + "...\" (257 chars))"));
    }

    @Test
    void framesWithoutIdsOrWithImpossibleImagesAreInvalid() throws Exception {
        List<RawRecord> records =
                List.of(
                        rgbFrame("", "f-1", 16, 8, PIXELS),
                        rgbFrame("line-1", "", 16, 8, PIXELS),
                        rgbFrame("line-1", "f-2", 0, 8, PIXELS),
                        rgbFrame("line-1", "f-3", 16, 8, Arrays.copyOf(PIXELS, PIXELS.length - 1)),
                        raw(
                                FRAMES,
                                0,
                                "line-1",
                                encode(
                                        frame(
                                                "line-1",
                                                "f-4",
                                                0,
                                                image(ImageEncoding.GRAY8, 16, 8, PIXELS)))),
                        raw(
                                FRAMES,
                                0,
                                "line-1",
                                encode(
                                        frame(
                                                "line-1",
                                                "f-5",
                                                0,
                                                image(ImageEncoding.PNG, 16, 8, new byte[0])))));
        for (RawRecord record : records) {
            harness.processElement(record, 1L);
        }

        assertThat(inputs()).isEmpty();
        assertThat(deadLetters())
                .extracting(DeadLetter::getReasonCode, DeadLetter::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_FRAME",
                                "frame \"f-1\" has an invalid line id: expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit ([A-Za-z0-9][A-Za-z0-9._-]{0,63}), found \"\""),
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_FRAME", "frame of line \"line-1\" has an empty frame id"),
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_FRAME",
                                "frame \"f-2\" of line \"line-1\" must have a positive width and height, found 0x8"),
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_FRAME",
                                "frame \"f-3\" of line \"line-1\" is RGB8 16x8: expected 384 bytes (width * height * 3), found 383"),
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_FRAME",
                                "frame \"f-4\" of line \"line-1\" is GRAY8 16x8: expected 128 bytes (width * height * 1), found 384"),
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_FRAME", "frame \"f-5\" of line \"line-1\" has no data"));
    }

    @Test
    void commandsWithoutIdsOrWithImpossibleShotsAreInvalid() throws Exception {
        var badShot = image(ImageEncoding.RGB8, 16, 8, new byte[3]);
        var hugeShot = image(ImageEncoding.PNG, 1000, 1000, new byte[] {1});
        List<RawRecord> records =
                List.of(
                        raw(
                                CONTROL,
                                0,
                                "line-1",
                                encode(command("line-1", "", TestRecords.clearShots()))),
                        raw(
                                CONTROL,
                                1,
                                "line-1",
                                encode(command("", "c-2", TestRecords.clearShots()))),
                        raw(
                                CONTROL,
                                2,
                                "line-1",
                                encode(
                                        command(
                                                "line-1",
                                                "c-3",
                                                TestRecords.setShots(
                                                        List.of(
                                                                image(
                                                                        ImageEncoding.PNG,
                                                                        4,
                                                                        4,
                                                                        new byte[] {1}),
                                                                badShot))))),
                        raw(
                                CONTROL,
                                3,
                                "line-1",
                                encode(
                                        command(
                                                "line-1",
                                                "c-4",
                                                TestRecords.addShots(List.of(hugeShot))))));
        for (RawRecord record : records) {
            harness.processElement(record, 1L);
        }

        assertThat(inputs()).isEmpty();
        assertThat(deadLetters())
                .extracting(DeadLetter::getReasonCode, DeadLetter::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_COMMAND",
                                "command of line \"line-1\" has an empty command id"),
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_COMMAND",
                                "command \"c-2\" has an invalid line id: expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit ([A-Za-z0-9][A-Za-z0-9._-]{0,63}), found \"\""),
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_COMMAND",
                                "command \"c-3\" of line \"line-1\": shot image 1 is RGB8 16x8: expected 384 bytes (width * height * 3), found 3"),
                        org.assertj.core.groups.Tuple.tuple(
                                "INVALID_COMMAND",
                                "command \"c-4\" of line \"line-1\": shot image 0 declares 1000x1000 = 1000000 pixels, more than the limit of "
                                        + MAX_PIXELS));
    }

    @Test
    void aCommandOverTheByteLimitIsTooLarge() throws Exception {
        DeadLetter letter = onlyDeadLetter(raw(CONTROL, 0, "line-1", new byte[COMMAND_MAX + 1]));

        assertThat(letter.getReasonCode()).isEqualTo("COMMAND_TOO_LARGE");
    }

    @Test
    void aCommandWithoutAKnownActionIsInvalid() {
        CommandDecoding decoding = new CommandDecoding(COMMAND_MAX, MAX_PIXELS);
        Instant issued = Instant.ofEpochMilli(1);

        assertThatThrownBy(
                        () ->
                                decoding.translate(
                                        new ControlCommand(
                                                "c-1", "line-1", issued, "me", "reboot")))
                .isInstanceOfSatisfying(
                        RejectedRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_COMMAND))
                .hasMessage(
                        "command \"c-1\" of line \"line-1\" has an unknown action of type java.lang.String; expected one of"
                                + " SetShots, AddShots, ClearShots, SetThreshold, SetCategory, SetAlertPolicy");
        assertThatThrownBy(
                        () ->
                                decoding.translate(
                                        new ControlCommand("c-2", "line-1", issued, "me", null)))
                .hasMessageStartingWith("command \"c-2\" of line \"line-1\" has no action;");
    }

    @Test
    void aRecordFromAnotherTopicIsNeitherFrameNorCommand() throws Exception {
        DeadLetter letter = onlyDeadLetter(raw("elsewhere", 0, "line-1", new byte[] {1}));

        assertThat(letter.getReasonCode()).isEqualTo("UNKNOWN_TOPIC");
        assertThat(letter.getReason())
                .isEqualTo(
                        "record from topic \"elsewhere\", expected the frames topic \"frames\" or the control topic \"control\"");
    }

    @Test
    void goodRecordsAroundBadOnesPassInOrder() throws Exception {
        harness.processElement(rgbFrame("line-1", "f-1", 16, 8, PIXELS), 1L);
        harness.processElement(raw(FRAMES, 1, "line-1", new byte[] {0}), 2L);
        harness.processElement(rgbFrame("line-1", "f-2", 16, 8, PIXELS), 3L);

        assertThat(inputs())
                .extracting(input -> input.frame().frameId())
                .containsExactly("f-1", "f-2");
        assertThat(deadLetters()).hasSize(1);
    }
}
