package io.inctrlstream.job.internal;

import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.schema.LineIds;
import io.inctrlstream.schema.ProducerText;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** Helpers shared by the frame and command decoding. */
final class Decoding {
    /** Most key bytes shown in hex when a key is not UTF-8. */
    private static final int MAX_HEX_BYTES = 16;

    private Decoding() {}

    /**
     * Refuses a frame, camera or command id longer than {@link RecordIds#MAX_INPUT_ID_LENGTH}: the
     * job copies it into its outputs, whose topics would refuse the records.
     *
     * @param what the id, named for the message ("frame id of line ...")
     */
    static void checkInputId(String id, String what, DeadLetterReason invalid)
            throws RejectedRecordException {
        Optional<String> problem = RecordIds.inputIdProblem(id, what);
        if (problem.isPresent()) {
            throw new RejectedRecordException(invalid, problem.get());
        }
    }

    /**
     * Rejects a line id that is not of the form {@link LineIds} documents.
     *
     * @param what the record in the message, e.g. {@code frame "f-1"}
     * @param invalid the reason of an invalid record of this kind
     */
    static void checkLineId(String lineId, String what, DeadLetterReason invalid)
            throws RejectedRecordException {
        Optional<String> problem = LineIds.problem(lineId);
        if (problem.isPresent()) {
            throw new RejectedRecordException(
                    invalid, what + " has an invalid line id: " + problem.get());
        }
    }

    /**
     * Rejects a record whose key is not its line id in UTF-8 (a null key too): such a record sits
     * in another line's partition (or, unkeyed, in any), so the line's order no longer holds.
     *
     * @param what the record in the message, e.g. {@code frame "f-1" of line "line-1"}
     */
    static void checkKey(byte[] key, String lineId, String what) throws RejectedRecordException {
        byte[] expected = lineId.getBytes(StandardCharsets.UTF_8);
        if (Arrays.equals(key, expected)) {
            return;
        }
        throw new RejectedRecordException(
                DeadLetterReason.KEY_MISMATCH,
                what
                        + " has "
                        + describeKey(key)
                        + ", expected the line id "
                        + quote(lineId)
                        + " in UTF-8 (a line's records must share one key, so that they stay in"
                        + " one partition, in order)");
    }

    private static String describeKey(byte[] key) {
        if (key == null) {
            return "no key";
        }
        String text = utf8(key);
        if (text != null) {
            return "the key " + quote(text);
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(key.length, MAX_HEX_BYTES); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("0x%02X", key[i] & 0xFF));
        }
        return "a key of "
                + key.length
                + " bytes that is not UTF-8 ("
                + hex
                + (key.length > MAX_HEX_BYTES ? " ..." : "")
                + ")";
    }

    /** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Rejects a record larger than {@code maxBytes} before any decoding is attempted.
     *
     * @param what the kind of record in the message, e.g. "frame"
     */
    static void checkSize(byte[] value, long maxBytes, DeadLetterReason reason, String what)
            throws RejectedRecordException {
        if (value.length > maxBytes) {
            throw new RejectedRecordException(
                    reason,
                    what
                            + " record of "
                            + value.length
                            + " bytes is larger than the limit of "
                            + maxBytes
                            + " bytes");
        }
    }

    /** Decodes an Avro record, rejecting it with the reason of the decoding failure. */
    static <T extends SpecificRecord> T decode(AvroCodec<T> codec, byte[] value)
            throws RejectedRecordException {
        try {
            return codec.decode(value);
        } catch (SchemaDecodeException e) {
            throw rejected(e);
        }
    }

    /** The dead-letter reason of an Avro decoding failure. */
    private static RejectedRecordException rejected(SchemaDecodeException e) {
        return new RejectedRecordException(
                DeadLetterReason.valueOf(e.reason().name()), e.getMessage());
    }

    /** A producer-given string in quotes, escaped and shortened ({@link ProducerText#quote}). */
    static String quote(String value) {
        return ProducerText.quote(value);
    }
}
