package io.inctrlstream.job.internal;

import static io.inctrlstream.job.TestRecords.CONTROL;
import static io.inctrlstream.job.TestRecords.FRAMES;
import static io.inctrlstream.job.TestRecords.command;
import static io.inctrlstream.job.TestRecords.encode;
import static io.inctrlstream.job.TestRecords.frame;
import static io.inctrlstream.job.TestRecords.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.TestRecords;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decode stage's integrity checks: a record must be keyed by its line id (else it sits in
 * another line's partition, out of the line's order), and line ids must be of the documented form
 * (else garbage ids would each grow the operator's keyed state and per-line metrics).
 */
class InputIntegrityTest {
    private static final byte[] PIXELS = new byte[4 * 2 * 3];

    /** The documented rule, written independently of the code under test. */
    private static final Pattern LINE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private OneInputStreamOperatorTestHarness<RawRecord, LineInput> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new InputDecoder(
                                new InputLimits(FRAMES, CONTROL, 1 << 20, 1 << 20, 10_000, 64)));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<DeadLetter> deadLetters() throws Exception {
        AvroCodec<DeadLetter> codec = AvroCodec.deadLetters();
        List<DeadLetter> letters = new ArrayList<>();
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
        assertThat(harness.extractOutputValues()).as("nothing reaches the operator").isEmpty();
        List<DeadLetter> letters = deadLetters();
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    private static byte[] frameBytes(String lineId, String frameId) {
        return encode(frame(lineId, frameId, 0, image(ImageEncoding.RGB8, 4, 2, PIXELS)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static RawRecord keyed(String topic, byte[] key, byte[] value) {
        return new RawRecord(topic, 1, 7, key, value, 1L);
    }

    // ---------------------------------------------------------------- keys

    @Test
    void aFrameKeyedByAnotherLineIsAKeyMismatch() throws Exception {
        DeadLetter letter =
                onlyDeadLetter(keyed(FRAMES, utf8("line-2"), frameBytes("line-1", "f-1")));

        assertThat(letter.getReasonCode()).isEqualTo("KEY_MISMATCH");
        assertThat(letter.getReason())
                .isEqualTo(
                        "frame \"f-1\" of line \"line-1\" has the key \"line-2\", expected the"
                                + " line id \"line-1\" in UTF-8 (a line's records must share one"
                                + " key, so that they stay in one partition, in order)");
        assertThat(letter.getKey()).isEqualTo(ByteBuffer.wrap(utf8("line-2")));
        assertThat(letter.getPartition()).isEqualTo(1);
        assertThat(letter.getOffset()).isEqualTo(7);
    }

    @Test
    void aCommandKeyedByAnotherLineIsAKeyMismatch() throws Exception {
        byte[] value = encode(command("line-1", "c-1", TestRecords.clearShots()));

        DeadLetter letter = onlyDeadLetter(keyed(CONTROL, utf8("line-10"), value));

        assertThat(letter.getReasonCode()).isEqualTo("KEY_MISMATCH");
        assertThat(letter.getReason())
                .isEqualTo(
                        "command \"c-1\" of line \"line-1\" has the key \"line-10\", expected the"
                                + " line id \"line-1\" in UTF-8 (a line's records must share one"
                                + " key, so that they stay in one partition, in order)");
        assertThat(letter.getSourceTopic()).isEqualTo(CONTROL);
    }

    @Test
    void aRecordWithoutKeyIsAKeyMismatch() throws Exception {
        DeadLetter frame = onlyDeadLetter(keyed(FRAMES, null, frameBytes("line-1", "f-1")));

        assertThat(frame.getReasonCode()).isEqualTo("KEY_MISMATCH");
        assertThat(frame.getReason())
                .startsWith("frame \"f-1\" of line \"line-1\" has no key, expected the line id");
        assertThat(frame.getKey()).isNull();
    }

    @Test
    void anUnkeyedCommandIsAKeyMismatch() throws Exception {
        byte[] value = encode(command("line-1", "c-1", TestRecords.clearShots()));

        DeadLetter letter = onlyDeadLetter(keyed(CONTROL, null, value));

        assertThat(letter.getReasonCode()).isEqualTo("KEY_MISMATCH");
        assertThat(letter.getReason())
                .startsWith("command \"c-1\" of line \"line-1\" has no key, expected the line id");
    }

    @Test
    void aKeyThatIsNotUtf8IsShownInHex() throws Exception {
        byte[] key = {(byte) 0xC3, 0x28, 0x00, 0x7F};

        DeadLetter letter = onlyDeadLetter(keyed(FRAMES, key, frameBytes("line-1", "f-1")));

        assertThat(letter.getReasonCode()).isEqualTo("KEY_MISMATCH");
        assertThat(letter.getReason())
                .startsWith(
                        "frame \"f-1\" of line \"line-1\" has a key of 4 bytes that is not UTF-8"
                                + " (0xC3 0x28 0x00 0x7F), expected the line id \"line-1\"");
    }

    @Test
    void aKeyDifferingOnlyInCaseOrPaddingIsAMismatch() throws Exception {
        harness.processElement(keyed(FRAMES, utf8("LINE-1"), frameBytes("line-1", "f-1")), 1L);
        harness.processElement(keyed(FRAMES, utf8("line-1 "), frameBytes("line-1", "f-2")), 1L);
        harness.processElement(keyed(FRAMES, utf8("line-1"), frameBytes("line-1", "f-3")), 1L);

        assertThat(deadLetters())
                .extracting(DeadLetter::getReasonCode)
                .containsExactly("KEY_MISMATCH", "KEY_MISMATCH");
        assertThat(harness.extractOutputValues())
                .extracting(input -> input.frame().frameId())
                .containsExactly("f-3");
    }

    // ---------------------------------------------------------------- line ids

    @Test
    void aFrameWithALineIdOfSpacesOrControlCharactersIsInvalidWithTheIdEscaped() throws Exception {
        String lineId = "bad id\n\u0000\u202e";

        DeadLetter letter = onlyDeadLetter(keyed(FRAMES, utf8(lineId), frameBytes(lineId, "f-1")));

        assertThat(letter.getReasonCode()).isEqualTo("INVALID_FRAME");
        assertThat(letter.getReason())
                .isEqualTo(
                        "frame \"f-1\" has an invalid line id: expected 1 to 64 letters, digits,"
                                + " '.', '_' or '-', starting with a letter or digit"
                                + " ([A-Za-z0-9][A-Za-z0-9._-]{0,63}), found \"bad id\\n\\u0000\\u202e\"");
    }

    @Test
    void aCommandWithAHugeLineIdIsInvalidWithTheIdCut() throws Exception {
        String lineId = "a".repeat(100_000);
        byte[] value = encode(command(lineId, "c-1", TestRecords.clearShots()));

        DeadLetter letter = onlyDeadLetter(keyed(CONTROL, utf8(lineId), value));

        assertThat(letter.getReasonCode()).isEqualTo("INVALID_COMMAND");
        assertThat(letter.getReason())
                .startsWith("command \"c-1\" has an invalid line id: expected 1 to 64 letters")
                .endsWith("found \"" + "a".repeat(120) + "...\" (100000 chars)");
    }

    @Test
    void lineIdsAtTheLimitsAreAccepted() throws Exception {
        for (String lineId : List.of("a", "Z".repeat(64), "0.line_A-b", "9")) {
            harness.processElement(keyed(FRAMES, utf8(lineId), frameBytes(lineId, "f")), 1L);
        }
        harness.processElement(
                keyed(FRAMES, utf8("a".repeat(65)), frameBytes("a".repeat(65), "f")), 1L);
        harness.processElement(keyed(FRAMES, utf8("-a"), frameBytes("-a", "f")), 1L);
        harness.processElement(keyed(FRAMES, utf8(".a"), frameBytes(".a", "f")), 1L);

        assertThat(harness.extractOutputValues()).hasSize(4);
        assertThat(deadLetters())
                .extracting(DeadLetter::getReasonCode)
                .containsExactly("INVALID_FRAME", "INVALID_FRAME", "INVALID_FRAME");
    }

    /**
     * Ten thousand random line ids (random code points, random lengths up to 200), each correctly
     * keyed: only those of the documented form reach the operator, every other one is exactly one
     * dead letter.
     */
    @Test
    void tenThousandRandomLineIdsReachTheOperatorOnlyWhenValid() throws Exception {
        Random random = new Random(42);
        int valid = 0;
        int records = 10_000;
        for (int i = 0; i < records; i++) {
            String lineId = randomLineId(random);
            if (LINE_ID.matcher(lineId).matches()) {
                valid++;
            }
            harness.processElement(keyed(FRAMES, utf8(lineId), frameBytes(lineId, "f-" + i)), 1L);
        }

        List<LineInput> inputs = harness.extractOutputValues();
        assertThat(inputs).hasSize(valid);
        assertThat(inputs).allSatisfy(i -> assertThat(i.frame().lineId()).matches(LINE_ID));
        List<DeadLetter> letters = deadLetters();
        assertThat(letters).hasSize(records - valid);
        assertThat(letters).extracting(DeadLetter::getReasonCode).containsOnly("INVALID_FRAME");
        // The generator must exercise both sides.
        assertThat(valid).isBetween(100, records - 1000);
    }

    private static String randomLineId(Random random) {
        int length = random.nextInt(4) == 0 ? random.nextInt(200) : 1 + random.nextInt(70);
        StringBuilder id = new StringBuilder();
        boolean tame = random.nextBoolean(); // mostly the allowed characters, to reach valid ids
        for (int i = 0; i < length; i++) {
            if (tame && random.nextInt(40) != 0) {
                String allowed =
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
                id.append(allowed.charAt(random.nextInt(allowed.length())));
            } else {
                id.appendCodePoint(random.nextInt(0x3000));
            }
        }
        return id.toString();
    }
}
