package io.inctrlstream.job.internal;

import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.schema.codec.SchemaDecodeException;

/** Helpers shared by the frame and command decoding. */
final class Decoding {
    private static final int MAX_QUOTED = 120;

    private Decoding() {}

    /** The dead-letter reason of an Avro decoding failure. */
    static RejectedRecordException rejected(SchemaDecodeException e) {
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
