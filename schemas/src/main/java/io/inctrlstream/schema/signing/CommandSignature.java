package io.inctrlstream.schema.signing;

import io.inctrlstream.schema.ProducerText;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature: the id of the key and the HMAC-SHA256 it computed, as the {@value
 * CommandSignatures#SIGNATURE_HEADER} header writes it ({@code <keyId>:<base64 MAC>}).
 *
 * @param keyId the signing key's id
 * @param mac the 32-byte HMAC-SHA256
 */
public record CommandSignature(String keyId, byte[] mac) {
    /** Bytes of an HMAC-SHA256. */
    public static final int MAC_BYTES = 32;

    public CommandSignature {
        SigningKey.checkKeyId(keyId);
        Objects.requireNonNull(mac, "mac");
        if (mac.length != MAC_BYTES) {
            throw new IllegalArgumentException(
                    "expected an HMAC-SHA256 of " + MAC_BYTES + " bytes, found " + mac.length);
        }
    }

    /**
     * Reads a header value.
     *
     * @throws IllegalArgumentException saying what was expected and what was found (escaped, cut)
     */
    public static CommandSignature parse(String headerValue) {
        String expected =
                "expected " + CommandSignatures.SIGNATURE_HEADER + " <keyId>:<base64 HMAC-SHA256>";
        int colon = headerValue == null ? -1 : headerValue.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    expected + ", found " + ProducerText.quote(headerValue));
        }
        String keyId = headerValue.substring(0, colon);
        byte[] mac;
        try {
            mac = Base64.getDecoder().decode(headerValue.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    expected + ", found " + ProducerText.quote(headerValue) + ": not base64");
        }
        try {
            return new CommandSignature(keyId, mac);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    expected
                            + ", found "
                            + ProducerText.quote(headerValue)
                            + ": "
                            + e.getMessage());
        }
    }

    /** The header value, {@code <keyId>:<base64 MAC>}. */
    public String headerValue() {
        return keyId + ":" + Base64.getEncoder().encodeToString(mac);
    }

    @Override
    public String toString() {
        return "CommandSignature[" + headerValue() + "]";
    }
}
