package io.inctrlstream.schema.signing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The optional HMAC-SHA256 signature of a control command record, carried in Kafka record headers
 * (docs/topics-and-schemas.md, "Command signatures"):
 *
 * <ul>
 *   <li>{@value #PRINCIPAL_HEADER}: the writer's Kafka principal in UTF-8 (e.g. {@code
 *       User:alice}), optional, at most one;
 *   <li>{@value #SIGNATURE_HEADER}: {@code <keyId>:<base64 of the 32-byte HMAC-SHA256>} (standard
 *       base64 with padding), at most one.
 * </ul>
 *
 * <p>The MAC is computed with the key's secret over these bytes, so that no field can be moved into
 * another:
 *
 * <pre>
 * "inctrl-command-signature-v1\n"             (28 ASCII bytes)
 * uint32 big-endian length of the record key, then the key bytes
 * uint32 length of the principal header value, then its bytes
 *        (0xFFFFFFFF and no bytes when the record has no principal header)
 * uint32 length of the record value, then the value bytes
 * </pre>
 *
 * (An absent record key is written as 0xFFFFFFFF too; the job refuses unkeyed commands anyway.)
 */
public final class CommandSignatures {
    /** The header holding the signature. */
    public static final String SIGNATURE_HEADER = "inctrl-signature";

    /** The header holding the writer's principal. */
    public static final String PRINCIPAL_HEADER = "inctrl-principal";

    private static final byte[] DOMAIN =
            "inctrl-command-signature-v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int ABSENT = 0xFFFFFFFF;

    private CommandSignatures() {}

    /**
     * The bytes a command record's signature covers.
     *
     * @param key the record key, or null
     * @param value the record value (null is read as empty, as Kafka delivers a tombstone)
     * @param principal the principal header's value, or null when the record has none
     */
    public static byte[] signedBytes(byte[] key, byte[] value, byte[] principal) {
        byte[] body = value == null ? new byte[0] : value;
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(
                        DOMAIN.length
                                + 12
                                + body.length
                                + (key == null ? 0 : key.length)
                                + (principal == null ? 0 : principal.length));
        out.writeBytes(DOMAIN);
        field(out, key);
        field(out, principal);
        field(out, body);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(
                ByteBuffer.allocate(4).putInt(bytes == null ? ABSENT : bytes.length).array());
        if (bytes != null) {
            out.writeBytes(bytes);
        }
    }
}
