package io.inctrlstream.job.internal;

import io.inctrlstream.job.CommandSignatureSettings;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.inference.CommandOrigin;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.job.io.RecordHeader;
import io.inctrlstream.schema.ProducerText;
import io.inctrlstream.schema.signing.CommandSignature;
import io.inctrlstream.schema.signing.CommandSignatures;
import io.inctrlstream.schema.signing.SigningKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads who wrote a command record from its headers and checks its signature (see {@link
 * CommandSignatures}): the claimed principal, the id of the key whose signature verified, or why
 * the command must be rejected. With no keys file, signatures are not checked; with one, a present
 * signature must verify; when required, a command must also be signed. Headers that cannot be read
 * unambiguously (repeated, not UTF-8, too long) refuse the command too.
 *
 * <p>The keys are loaded once per task ({@link #open()}) and are never logged or serialized.
 */
final class CommandAuthentication implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Longest principal header accepted, in bytes (it is copied into the ControlEvent). */
    static final int MAX_PRINCIPAL_BYTES = 256;

    private static final String NOT_AUTHENTICATED = "not authenticated: ";

    private final CommandSignatureSettings settings;
    private transient Map<String, SigningKey> keys;

    CommandAuthentication(CommandSignatureSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Loads the signing keys, if any.
     *
     * @throws IllegalArgumentException if the keys file is missing, unreadable or malformed here
     */
    void open() {
        keys = settings.loadKeys().orElse(null);
    }

    /** Who wrote the command {@code record} holds, and whether it may be applied. */
    CommandOrigin origin(RawRecord record) {
        List<byte[]> principals = values(record, CommandSignatures.PRINCIPAL_HEADER);
        if (principals.size() > 1) {
            return CommandOrigin.refused(
                    NOT_AUTHENTICATED
                            + "the record carries "
                            + principals.size()
                            + " "
                            + CommandSignatures.PRINCIPAL_HEADER
                            + " headers, expected at most one");
        }
        byte[] principalBytes = principals.isEmpty() ? null : principals.get(0);
        String principal = null;
        if (!principals.isEmpty()) {
            if (principalBytes == null || principalBytes.length > MAX_PRINCIPAL_BYTES) {
                return CommandOrigin.refused(
                        NOT_AUTHENTICATED
                                + "expected a "
                                + CommandSignatures.PRINCIPAL_HEADER
                                + " header of 1 to "
                                + MAX_PRINCIPAL_BYTES
                                + " bytes, found "
                                + (principalBytes == null
                                        ? "one without value"
                                        : principalBytes.length + " bytes"));
            }
            principal = Decoding.utf8(principalBytes);
            if (principal == null) {
                return CommandOrigin.refused(
                        NOT_AUTHENTICATED
                                + "the "
                                + CommandSignatures.PRINCIPAL_HEADER
                                + " header is not UTF-8");
            }
        }
        if (keys == null) {
            return new CommandOrigin(principal, null, null);
        }
        List<byte[]> signatures = values(record, CommandSignatures.SIGNATURE_HEADER);
        if (signatures.isEmpty()) {
            return settings.required()
                    ? new CommandOrigin(
                            principal,
                            null,
                            NOT_AUTHENTICATED
                                    + "the command is unsigned (no "
                                    + CommandSignatures.SIGNATURE_HEADER
                                    + " header), and the job requires signatures ("
                                    + InspectionJobOptions.SIGNATURE_REQUIRED.key()
                                    + ")")
                    : new CommandOrigin(principal, null, null);
        }
        if (signatures.size() > 1) {
            return new CommandOrigin(
                    principal,
                    null,
                    NOT_AUTHENTICATED
                            + "the record carries "
                            + signatures.size()
                            + " "
                            + CommandSignatures.SIGNATURE_HEADER
                            + " headers, expected one");
        }
        CommandSignature signature;
        try {
            byte[] header = signatures.get(0);
            String text = header == null ? null : Decoding.utf8(header);
            signature = CommandSignature.parse(text);
        } catch (IllegalArgumentException e) {
            return new CommandOrigin(principal, null, NOT_AUTHENTICATED + e.getMessage());
        }
        SigningKey key = keys.get(signature.keyId());
        if (key == null) {
            return new CommandOrigin(
                    principal,
                    null,
                    NOT_AUTHENTICATED
                            + "signed with key "
                            + ProducerText.quote(signature.keyId())
                            + ", which is not one of the job's signing keys ("
                            + InspectionJobOptions.SIGNATURE_KEYS_FILE.key()
                            + ")");
        }
        byte[] signed = CommandSignatures.signedBytes(record.key(), record.value(), principalBytes);
        if (!key.verifies(signature, signed)) {
            return new CommandOrigin(
                    principal,
                    null,
                    NOT_AUTHENTICATED
                            + "the signature by key "
                            + ProducerText.quote(key.keyId())
                            + " does not match the record (its key, value or principal header"
                            + " changed after signing, or another secret signed it)");
        }
        return new CommandOrigin(principal, key.keyId(), null);
    }

    private static List<byte[]> values(RawRecord record, String key) {
        List<byte[]> values = new ArrayList<>(1);
        for (RecordHeader header : record.headers()) {
            if (header.key().equals(key)) {
                values.add(header.value());
            }
        }
        return values;
    }
}
