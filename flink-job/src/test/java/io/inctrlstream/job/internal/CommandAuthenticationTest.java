package io.inctrlstream.job.internal;

import static io.inctrlstream.job.TestRecords.CONTROL;
import static io.inctrlstream.job.TestRecords.FRAMES;
import static io.inctrlstream.job.TestRecords.command;
import static io.inctrlstream.job.TestRecords.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.CommandSignatureSettings;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.TestRecords;
import io.inctrlstream.job.inference.CommandOrigin;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.job.io.RecordHeader;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.signing.CommandSignatures;
import io.inctrlstream.schema.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode stage's reading of a command's principal and signature headers: every way a command
 * can fail to authenticate is passed on as a refusal (for the operator to answer REJECTED), a good
 * signature names its key, and the keys file's problems fail at build and at task start.
 */
class CommandAuthenticationTest {
    private static final byte[] SECRET = secret(1);
    private static final byte[] OTHER_SECRET = secret(2);
    private static final SigningKey KEY = SigningKey.of("ops-1", SECRET);
    private static final String LINE = "line-1";

    @TempDir Path dir;

    private static byte[] secret(int seed) {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (seed * 31 + i);
        }
        return secret;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Path keysFile() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(
                file,
                "ops-1="
                        + Base64.getEncoder().encodeToString(SECRET)
                        + "\nops-2="
                        + Base64.getEncoder().encodeToString(secret(3))
                        + "\n");
        return file;
    }

    private static byte[] value(String commandId) {
        return encode(command(LINE, commandId, TestRecords.clearShots()));
    }

    /** A command record with these headers. */
    private static RawRecord record(byte[] value, RecordHeader... headers) {
        return new RawRecord(CONTROL, 0, 1, RecordIds.lineKey(LINE), value, 1L, List.of(headers));
    }

    private static RecordHeader principal(String principal) {
        return new RecordHeader(CommandSignatures.PRINCIPAL_HEADER, utf8(principal));
    }

    private static RecordHeader signature(SigningKey key, byte[] value, String principal) {
        byte[] signed =
                CommandSignatures.signedBytes(
                        RecordIds.lineKey(LINE), value, principal == null ? null : utf8(principal));
        return new RecordHeader(
                CommandSignatures.SIGNATURE_HEADER, utf8(key.sign(signed).headerValue()));
    }

    /** The origins the decode stage gives these records' commands. */
    private static List<CommandOrigin> origins(
            CommandSignatureSettings settings, RawRecord... records) throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, LineInput> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new InputDecoder(
                                new InputLimits(FRAMES, CONTROL, 1 << 20, 1 << 20, 10_000, 64),
                                settings))) {
            for (RawRecord record : records) {
                harness.processElement(record, 1L);
            }
            assertThat(harness.getSideOutput(InputDecoder.DEAD_LETTERS))
                    .as("an authentication failure is no dead letter")
                    .isNull();
            List<CommandOrigin> origins = new ArrayList<>();
            for (LineInput input : harness.extractOutputValues()) {
                origins.add(input.command().origin());
            }
            return origins;
        }
    }

    private CommandSignatureSettings required() throws Exception {
        return new CommandSignatureSettings(keysFile().toString(), true);
    }

    @Test
    void aGoodSignatureNamesItsKeyAndThePrincipal() throws Exception {
        byte[] value = value("c-1");
        byte[] unsigned = value("c-2");

        List<CommandOrigin> origins =
                origins(
                        required(),
                        record(value, principal("User:alice"), signature(KEY, value, "User:alice")),
                        record(unsigned, signature(KEY, unsigned, null)));

        assertThat(origins)
                .containsExactly(
                        new CommandOrigin("User:alice", "ops-1", null),
                        new CommandOrigin(null, "ops-1", null));
    }

    @Test
    void anUnsignedCommandIsRefusedWhenSignaturesAreRequired() throws Exception {
        assertThat(origins(required(), record(value("c-1"), principal("User:bob"))))
                .containsExactly(
                        new CommandOrigin(
                                "User:bob",
                                null,
                                "not authenticated: the command is unsigned (no inctrl-signature"
                                        + " header), and the job requires signatures"
                                        + " (inctrl.control.signature.required)"));
    }

    @Test
    void aForgedOrTamperedCommandIsRefused() throws Exception {
        byte[] value = value("c-1");
        byte[] tampered = encode(command(LINE, "c-1", TestRecords.setThreshold(0.01)));
        String mismatch =
                "not authenticated: the signature by key \"ops-1\" does not match the record (its"
                        + " key, value or principal header changed after signing, or another"
                        + " secret signed it)";

        List<CommandOrigin> origins =
                origins(
                        required(),
                        // Signed with another secret under a known key id.
                        record(value, signature(SigningKey.of("ops-1", OTHER_SECRET), value, null)),
                        // The value changed after signing.
                        record(tampered, signature(KEY, value, null)),
                        // A principal added after signing.
                        record(value, principal("User:admin"), signature(KEY, value, null)),
                        // The principal changed after signing.
                        record(value, principal("User:admin"), signature(KEY, value, "User:bob")));

        assertThat(origins)
                .containsExactly(
                        new CommandOrigin(null, null, mismatch),
                        new CommandOrigin(null, null, mismatch),
                        new CommandOrigin("User:admin", null, mismatch),
                        new CommandOrigin("User:admin", null, mismatch));
    }

    @Test
    void aCommandSignedWithAnUnknownKeyIsRefused() throws Exception {
        byte[] value = value("c-1");

        assertThat(
                        origins(
                                required(),
                                record(
                                        value,
                                        signature(SigningKey.of("ops-9", SECRET), value, null))))
                .containsExactly(
                        CommandOrigin.refused(
                                "not authenticated: signed with key \"ops-9\", which is not one of"
                                        + " the job's signing keys"
                                        + " (inctrl.control.signature.keys-file)"));
    }

    @Test
    void ambiguousOrMalformedHeadersAreRefused() throws Exception {
        byte[] value = value("c-1");
        RecordHeader good = signature(KEY, value, null);

        List<CommandOrigin> origins =
                origins(
                        required(),
                        record(value, good, good),
                        record(value, principal("User:a"), principal("User:b"), good),
                        record(
                                value,
                                new RecordHeader(
                                        CommandSignatures.SIGNATURE_HEADER, utf8("ops-1"))),
                        record(
                                value,
                                new RecordHeader(
                                        CommandSignatures.PRINCIPAL_HEADER,
                                        new byte[] {(byte) 0xFF}),
                                good),
                        record(
                                value,
                                new RecordHeader(CommandSignatures.PRINCIPAL_HEADER, new byte[300]),
                                good));

        assertThat(origins)
                .extracting(CommandOrigin::refusal)
                .containsExactly(
                        "not authenticated: the record carries 2 inctrl-signature headers,"
                                + " expected one",
                        "not authenticated: the record carries 2 inctrl-principal headers,"
                                + " expected at most one",
                        "not authenticated: expected inctrl-signature <keyId>:<base64"
                                + " HMAC-SHA256>, found \"ops-1\"",
                        "not authenticated: the inctrl-principal header is not UTF-8",
                        "not authenticated: expected a inctrl-principal header of 1 to 256 bytes,"
                                + " found 300 bytes");
    }

    @Test
    void withKeysButNotRequiredAnUnsignedCommandPassesAndABadSignatureIsStillRefused()
            throws Exception {
        byte[] value = value("c-1");
        CommandSignatureSettings optional =
                new CommandSignatureSettings(keysFile().toString(), false);

        List<CommandOrigin> origins =
                origins(
                        optional,
                        record(value, principal("User:carol")),
                        record(
                                value,
                                signature(SigningKey.of("ops-1", OTHER_SECRET), value, null)));

        assertThat(origins.get(0)).isEqualTo(new CommandOrigin("User:carol", null, null));
        assertThat(origins.get(1).refusal()).startsWith("not authenticated: the signature by key");
    }

    @Test
    void withoutKeysSignaturesAreNotCheckedAndThePrincipalIsPassedOn() throws Exception {
        byte[] value = value("c-1");

        assertThat(
                        origins(
                                CommandSignatureSettings.NONE,
                                record(
                                        value,
                                        principal("User:dave"),
                                        signature(SigningKey.of("x", OTHER_SECRET), value, null)),
                                record(value)))
                .containsExactly(
                        new CommandOrigin("User:dave", null, null), CommandOrigin.UNATTRIBUTED);
    }

    @Test
    void theKeysFileIsCheckedWhenTheJobIsBuiltWithOneMessage() throws Exception {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.SIGNATURE_REQUIRED, true);
        assertThatThrownBy(() -> CommandSignatureSettings.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "inctrl.control.signature.required is true, but"
                                + " inctrl.control.signature.keys-file names no keys file to verify"
                                + " signatures with");

        Path missing = dir.resolve("missing");
        config.set(InspectionJobOptions.SIGNATURE_KEYS_FILE, missing.toString());
        assertThatThrownBy(() -> CommandSignatureSettings.from(config))
                .hasMessage(
                        "inctrl.control.signature.keys-file: cannot read the keys file "
                                + missing
                                + ": no such file");

        Path malformed = dir.resolve("malformed");
        String secretText = Base64.getEncoder().encodeToString(SECRET);
        Files.writeString(malformed, "# keys\nops-1 " + secretText + "\n");
        config.set(InspectionJobOptions.SIGNATURE_KEYS_FILE, malformed.toString());
        assertThatThrownBy(() -> CommandSignatureSettings.from(config))
                .hasMessageStartingWith(
                        "inctrl.control.signature.keys-file: "
                                + malformed
                                + " line 2: expected keyId=base64secret with a key id")
                .message()
                .doesNotContain(secretText.substring(0, 20));

        config.set(InspectionJobOptions.SIGNATURE_KEYS_FILE, keysFile().toString());
        assertThat(CommandSignatureSettings.from(config))
                .isEqualTo(new CommandSignatureSettings(keysFile().toString(), true));
    }

    @Test
    void aKeysFileGoneWhenTheTaskStartsFailsItsOpen() throws Exception {
        CommandSignatureSettings settings = required();
        Files.delete(keysFile());

        assertThatThrownBy(() -> origins(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "inctrl.control.signature.keys-file: cannot read the keys file ");
    }
}
