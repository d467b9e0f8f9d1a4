package io.inctrlstream.job.internal;

import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import org.apache.avro.specific.SpecificRecord;

/** Helpers shared by the frame and command decoding. */
final class Decoding {
    private static final int MAX_QUOTED = 120;

    private Decoding() {}

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

    /** A producer-given string in quotes, shortened so that messages stay readable. */
    static String quote(String value) {
        if (value.length() > MAX_QUOTED) {
            return "\"" + value.substring(0, MAX_QUOTED) + "...\" (" + value.length() + " chars)";
        }
        return "\"" + value + "\"";
    }
}
