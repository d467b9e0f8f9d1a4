package io.inctrlstream.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.codec.SchemaDecodeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class AvroCodecRejectionTest {
    private final AvroCodec<Frame> frames = AvroCodec.frames();
    private final String frameFingerprint =
            String.format(
                    "0x%016x", SchemaNormalization.parsingFingerprint64(Frame.getClassSchema()));

    @Test
    void rejectsEmptyBytes() {
        SchemaDecodeException e = decodeFailure(new byte[0]);

        assertThat(e.reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT);
        assertThat(e)
                .hasMessage(
                        "expected Avro single-object encoding of a Frame (0xC3 0x01, an 8-byte"
                                + " schema fingerprint, the datum), found 0 bytes");
    }

    @Test
    void rejectsBytesWithoutTheSingleObjectMarker() {
        byte[] json = "{\"lineId\":\"line-7\"}".getBytes(StandardCharsets.UTF_8);

        SchemaDecodeException e = decodeFailure(json);

        assertThat(e.reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT);
        assertThat(e)
                .hasMessage(
                        "expected Avro single-object encoding of a Frame (0xC3 0x01, an 8-byte"
                                + " schema fingerprint, the datum), found 19 bytes starting"
                                + " 0x7B 0x22 0x6C 0x69");
    }

    @Test
    void rejectsAnotherSingleObjectFormatVersion() {
        byte[] bytes = frames.encode(SampleRecords.frame());
        bytes[1] = 0x02;

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT);
        assertThat(e)
                .hasMessageEndingWith(
                        "starting 0xC3 0x02 0x" + hexByte(bytes[2]) + " 0x" + hexByte(bytes[3]));
    }

    @Test
    void rejectsATruncatedFingerprint() {
        byte[] bytes = Arrays.copyOf(frames.encode(SampleRecords.frame()), 6);

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e).hasMessageEndingWith("found only 6 bytes: the fingerprint is truncated");
    }

    @Test
    void rejectsAnUnknownFingerprintNamingTheKnownVersions() {
        byte[] bytes = new RawAvroBytes().header(0x0123456789abcdefL).raw(2, 'x').toByteArray();

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FINGERPRINT);
        assertThat(e.getMessage())
                .startsWith(
                        "unknown schema fingerprint 0x0123456789abcdef: not one of Frame v1 (0x")
                .contains(frameFingerprint)
                .doesNotContain("wrong topic");
    }

    @Test
    void rejectsAnotherTopicsRecordAndSaysWhichItIs() {
        ControlCommand command = SampleRecords.commandsOfEveryAction().get(0);
        byte[] bytes = AvroCodec.controlCommands().encode(command);

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FINGERPRINT);
        assertThat(e.getMessage())
                .startsWith(
                        "unknown schema fingerprint "
                                + String.format(
                                        "0x%016x",
                                        SchemaNormalization.parsingFingerprint64(
                                                ControlCommand.getClassSchema()))
                                + ": not one of Frame v1")
                .endsWith("; it is the fingerprint of ControlCommand v1 (wrong topic?)");
    }

    @Test
    void rejectsEveryTruncationOfAValidRecord() {
        byte[] whole = frames.encode(SampleRecords.frame());

        for (int length = 2; length < whole.length; length++) {
            SchemaDecodeException e = decodeFailure(Arrays.copyOf(whole, length));

            assertThat(e.reason()).as("truncated to %d bytes", length).isEqualTo(Reason.MALFORMED);
            if (length >= 10) {
                assertThat(e.getMessage())
                        .as("truncated to %d bytes", length)
                        .startsWith("malformed Frame at Frame");
            }
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] whole = frames.encode(SampleRecords.frame());
        byte[] longer = Arrays.copyOf(whole, whole.length + 2);

        SchemaDecodeException e = decodeFailure(longer);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e)
                .hasMessage(
                        "malformed Frame at Frame (byte "
                                + whole.length
                                + "): 2 unexpected bytes after the end of the record");
    }

    @Test
    void rejectsALengthLargerThanThePayloadWithoutAllocatingIt() {
        byte[] bytes = frameUpToImageData().varint(1L << 30).raw(0).toByteArray();

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage())
                .startsWith("malformed Frame at Frame.image.data")
                .endsWith("length 1073741824 but only 1 bytes remain (truncated?)");
    }

    @Test
    void rejectsANegativeLength() {
        byte[] bytes = frameUpToImageData().varint(-5).raw(0).toByteArray();

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage())
                .startsWith("malformed Frame at Frame.image.data")
                .endsWith("negative length -5");
    }

    @Test
    void rejectsAMapCountLargerThanThePayloadWithoutAllocatingIt() {
        byte[] bytes =
                frameUpToImageData()
                        .varint(0)
                        .varint(1L << 40)
                        .string("k")
                        .string("v")
                        .varint(0)
                        .toByteArray();

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage())
                .startsWith("malformed Frame at Frame.attributes")
                .endsWith(
                        "block of 1099511627776 items of at least 2 bytes each, but 5 bytes"
                                + " remain");
    }

    @Test
    void rejectsABlockWhoseDeclaredSizeDisagreesWithItsItems() {
        // A negative count announces the block's byte size: 1 item, said to be 3 bytes, is 4.
        byte[] bytes =
                frameUpToImageData()
                        .varint(0)
                        .varint(-1)
                        .varint(3)
                        .string("k")
                        .string("v")
                        .varint(0)
                        .toByteArray();

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("block declared to end at byte");
    }

    @Test
    void rejectsAnOutOfRangeUnionBranch() {
        byte[] bytes =
                RawAvroBytes.singleObject(Frame.getClassSchema())
                        .string("l")
                        .string("c")
                        .string("f")
                        .varint(1)
                        .varint(7)
                        .toByteArray();

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage())
                .startsWith("malformed Frame at Frame.productCategory")
                .endsWith("union branch 7, expected 0..1");
    }

    @Test
    void rejectsAnOutOfRangeEnumSymbol() {
        byte[] bytes =
                RawAvroBytes.singleObject(Frame.getClassSchema())
                        .string("l")
                        .string("c")
                        .string("f")
                        .varint(1)
                        .varint(0)
                        .varint(9)
                        .toByteArray();

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage())
                .startsWith("malformed Frame at Frame.image.encoding")
                .endsWith("enum index 9, expected 0..3 (ImageEncoding)");
    }

    @Test
    void rejectsAnOverlongVarint() {
        byte[] bytes =
                RawAvroBytes.singleObject(Frame.getClassSchema())
                        .string("l")
                        .string("c")
                        .string("f")
                        .raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
                        .toByteArray();

        SchemaDecodeException e = decodeFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage())
                .startsWith("malformed Frame at Frame.captureTime")
                .endsWith("invalid varint: more than 10 bytes for a long");
    }

    @Test
    void everyCorruptionOfAValidRecordDecodesOrFailsWithASchemaDecodeException() {
        byte[] whole = frames.encode(SampleRecords.frame());
        Random random = new Random(20_261_128L);

        for (int position = 0; position < whole.length; position++) {
            for (int trial = 0; trial < 8; trial++) {
                byte[] corrupt = whole.clone();
                corrupt[position] = (byte) random.nextInt(256);

                assertThat(decodeOutcome(corrupt))
                        .as("byte %d set to 0x%02x", position, corrupt[position])
                        .isIn("decoded", "NOT_SINGLE_OBJECT", "UNKNOWN_FINGERPRINT", "MALFORMED");
            }
        }
    }

    @Test
    void randomBodiesAfterAValidHeaderDecodeOrAreMalformed() {
        Random random = new Random(7L);
        for (int trial = 0; trial < 2_000; trial++) {
            byte[] body = new byte[random.nextInt(64)];
            random.nextBytes(body);
            byte[] bytes =
                    RawAvroBytes.singleObject(Frame.getClassSchema())
                            .raw(toInts(body))
                            .toByteArray();

            assertThat(decodeOutcome(bytes)).as("trial %d", trial).isIn("decoded", "MALFORMED");
        }
    }

    @Test
    void encodingARecordThatDoesNotFitItsSchemaIsAnIllegalArgument() {
        Frame incomplete = new Frame();

        assertThatThrownBy(() -> frames.encode(incomplete))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "cannot encode this Frame: null value for (non-nullable) string at"
                                + " Frame.lineId");
    }

    @Test
    void encodingACommandWithAnActionOfNoUnionTypeIsAnIllegalArgument() {
        ControlCommand command = SampleRecords.commandsOfEveryAction().get(0);
        command.setAction("set the shots, please");

        assertThatThrownBy(() -> AvroCodec.controlCommands().encode(command))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "cannot encode this ControlCommand: a java.lang.String is none of the"
                                + " union's types SetShots, AddShots, ClearShots, SetThreshold,"
                                + " SetCategory, SetAlertPolicy");
    }

    @Test
    void onlyTopicRecordsHaveACodec() {
        assertThatThrownBy(() -> AvroCodec.forClass(FrameImage.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "AvroCodec supports Frame, ControlCommand, AnomalyScore, AnomalyAlert,"
                                + " ControlEvent, DeadLetter, LineState; found"
                                + " io.inctrlstream.schema.FrameImage");
    }

    @Test
    void anAddedWriterSchemaMustBeAVersionOfTheSameRecord() {
        AvroCodec.Builder<Frame> builder =
                AvroCodec.builder(Frame.class).addWriterSchema(ControlCommand.getClassSchema());

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "added writer schema 1 must be a version of record"
                                + " io.inctrlstream.schema.Frame, found"
                                + " io.inctrlstream.schema.ControlCommand");
    }

    @Test
    void anAddedWriterSchemaMustBeReadableByTheCurrentSchema() {
        String json =
                Frame.getClassSchema()
                        .toString()
                        .replace(
                                "{\"name\":\"frameId\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}",
                                "{\"name\":\"frameId\",\"type\":\"int\"");
        Schema frameIdAsInt = new Schema.Parser().parse(json);
        assertThat(frameIdAsInt.getField("frameId").schema().getType()).isEqualTo(Schema.Type.INT);

        AvroCodec.Builder<Frame> builder =
                AvroCodec.builder(Frame.class).addWriterSchema(frameIdAsInt);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "added writer schema 1 cannot be read by the current Frame schema: ")
                .hasMessageContaining("/fields/2/type");
    }

    private static RawAvroBytes frameUpToImageData() {
        return RawAvroBytes.singleObject(Frame.getClassSchema())
                .string("line-7")
                .string("cam-2")
                .string("f-1")
                .varint(1_764_316_800_123L)
                .varint(0)
                .varint(2)
                .varint(4)
                .varint(4);
    }

    private SchemaDecodeException decodeFailure(byte[] bytes) {
        SchemaDecodeException e =
                catchThrowableOfType(SchemaDecodeException.class, () -> frames.decode(bytes));
        assertThat(e).as("decoding %d bytes must fail", bytes.length).isNotNull();
        return e;
    }

    /** "decoded" or the reason; any other exception escapes and fails the test. */
    private String decodeOutcome(byte[] bytes) {
        try {
            assertThat(frames.decode(bytes)).isNotNull();
            return "decoded";
        } catch (SchemaDecodeException e) {
            return e.reason().name();
        }
    }

    private static String hexByte(byte b) {
        return String.format("%02X", b);
    }

    private static int[] toInts(byte[] bytes) {
        int[] ints = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ints[i] = bytes[i] & 0xff;
        }
        return ints;
    }
}
