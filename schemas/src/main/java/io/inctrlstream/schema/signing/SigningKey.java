package io.inctrlstream.schema.signing;

import io.inctrlstream.schema.ProducerText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A named HMAC-SHA256 secret that signs or verifies command records ({@link CommandSignatures}).
 * Key ids are 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}; secrets are at least
 * {@value #MIN_SECRET_BYTES} bytes (e.g. {@code openssl rand -base64 32}). Nothing here ever puts
 * the secret into a message or {@link #toString()}. Thread-safe.
 */
public final class SigningKey {
    /** Fewest bytes of a secret: the length of the HMAC-SHA256 itself. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAX_KEY_ID = 64;

    private final String keyId;
    private final SecretKeySpec secret;

    private SigningKey(String keyId, byte[] secret) {
        this.keyId = keyId;
        this.secret = new SecretKeySpec(secret, ALGORITHM);
    }

    /**
     * A key of these secret bytes.
     *
     * @throws IllegalArgumentException if the id is not of the documented form or the secret is
     *     shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    public static SigningKey of(String keyId, byte[] secret) {
        checkKeyId(keyId);
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "the secret of key "
                            + ProducerText.quote(keyId)
                            + " is "
                            + secret.length
                            + " bytes, expected at least "
                            + MIN_SECRET_BYTES);
        }
        return new SigningKey(keyId, secret.clone());
    }

    /**
     * A key of a base64 secret (standard alphabet, padding optional, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException as {@link #of}, or if the text is not base64 (the message
     *     never shows it)
     */
    public static SigningKey fromBase64(String keyId, String base64) {
        checkKeyId(keyId);
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the secret of key " + ProducerText.quote(keyId) + " is not base64");
        }
        return of(keyId, secret);
    }

    /**
     * The key whose base64 secret is the only content of {@code file} (a Kubernetes secret mounted
     * as a file, {@code openssl rand -base64 32 > FILE}).
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException as {@link #fromBase64}, naming the file
     */
    public static SigningKey readSecret(String keyId, Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return fromBase64(keyId, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The key's id, named in the signature header. */
    public String keyId() {
        return keyId;
    }

    /** The signature of {@code signedBytes} ({@link CommandSignatures#signedBytes}). */
    public CommandSignature sign(byte[] signedBytes) {
        return new CommandSignature(keyId, mac(signedBytes));
    }

    /**
     * Whether {@code signature} is this key's of {@code signedBytes} (compared in constant time).
     */
    public boolean verifies(CommandSignature signature, byte[] signedBytes) {
        return signature.keyId().equals(keyId)
                && MessageDigest.isEqual(signature.mac(), mac(signedBytes));
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256, and the key is a raw secret.
            throw new IllegalStateException("HmacSHA256 is not available: " + e, e);
        }
    }

    static void checkKeyId(String keyId) {
        if (keyId == null || keyId.isEmpty() || keyId.length() > MAX_KEY_ID) {
            throw invalidKeyId(keyId);
        }
        for (int i = 0; i < keyId.length(); i++) {
            char c = keyId.charAt(i);
            boolean allowed =
                    (c >= 'A' && c <= 'Z')
                            || (c >= 'a' && c <= 'z')
                            || (c >= '0' && c <= '9')
                            || c == '.'
                            || c == '_'
                            || c == '-';
            if (!allowed) {
                throw invalidKeyId(keyId);
            }
        }
    }

    private static IllegalArgumentException invalidKeyId(String keyId) {
        return new IllegalArgumentException(
                "expected a key id of 1 to "
                        + MAX_KEY_ID
                        + " letters, digits, '.', '_' or '-', found "
                        + ProducerText.quote(keyId));
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + "]";
    }
}
