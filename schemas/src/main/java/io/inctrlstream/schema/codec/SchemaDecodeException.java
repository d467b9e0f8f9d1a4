package io.inctrlstream.schema.codec;

import java.util.Objects;

/**
 * The one checked exception of the schemas module: bytes could not be decoded as one of our
 * records. {@link #reason()} classifies the failure so that the streaming job can turn it into a
 * dead letter's reason code without parsing messages.
 */
public class SchemaDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is. */
    public enum Reason {
        /**
         * The bytes are not Avro single-object encoded: empty, or they do not start with the marker
         * 0xC3 0x01.
         */
        NOT_SINGLE_OBJECT,
        /** The header names a schema fingerprint that is not a known version of the record. */
        UNKNOWN_FINGERPRINT,
        /**
         * The header is right but the body is not a valid record of the named schema: truncated,
         * corrupt, or followed by unexpected bytes.
         */
        MALFORMED
    }

    private final Reason reason;

    public SchemaDecodeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SchemaDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The failure's classification. */
    public Reason reason() {
        return reason;
    }
}
