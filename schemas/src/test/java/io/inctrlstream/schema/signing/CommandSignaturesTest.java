package io.inctrlstream.schema.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signed bytes, signing and verifying, and the keys files' rules and messages. */
class CommandSignaturesTest {
    private static final byte[] SECRET = new byte[32];
    private static final String SECRET_BASE64;

    static {
        for (int i = 0; i < SECRET.length; i++) {
            SECRET[i] = (byte) (i * 7 + 1);
        }
        SECRET_BASE64 = Base64.getEncoder().encodeToString(SECRET);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSignedBytesAreTheDocumentedLayout() {
        byte[] signed = CommandSignatures.signedBytes(utf8("l1"), new byte[] {9, 8}, utf8("U"));

        assertThat(HexFormat.of().formatHex(signed))
                .isEqualTo(
                        HexFormat.of().formatHex(utf8("inctrl-command-signature-v1\n"))
                                + "00000002"
                                + "6c31"
                                + "00000001"
                                + "55"
                                + "00000002"
                                + "0908");
        byte[] noPrincipal = CommandSignatures.signedBytes(utf8("l1"), new byte[0], null);
        assertThat(HexFormat.of().formatHex(noPrincipal))
                .endsWith("00000002" + "6c31" + "ffffffff" + "00000000");
    }

    @Test
    void aSignatureIsTheHmacSha256OfTheSignedBytesUnderItsKey() throws Exception {
        SigningKey key = SigningKey.of("ops-1", SECRET);
        byte[] signed = CommandSignatures.signedBytes(utf8("line-1"), utf8("value"), null);

        CommandSignature signature = key.sign(signed);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        assertThat(signature.headerValue())
                .isEqualTo("ops-1:" + Base64.getEncoder().encodeToString(mac.doFinal(signed)));
        assertThat(key.verifies(CommandSignature.parse(signature.headerValue()), signed)).isTrue();
    }

    @Test
    void anyChangedFieldOrAnotherKeyFailsVerification() {
        SigningKey key = SigningKey.of("k", SECRET);
        byte[] signed = CommandSignatures.signedBytes(utf8("line-1"), utf8("v"), utf8("User:a"));
        CommandSignature signature = key.sign(signed);

        for (byte[] other :
                List.of(
                        CommandSignatures.signedBytes(utf8("line-2"), utf8("v"), utf8("User:a")),
                        CommandSignatures.signedBytes(utf8("line-1"), utf8("w"), utf8("User:a")),
                        CommandSignatures.signedBytes(utf8("line-1"), utf8("v"), utf8("User:b")),
                        CommandSignatures.signedBytes(utf8("line-1"), utf8("v"), null),
                        // The same bytes shifted between fields.
                        CommandSignatures.signedBytes(utf8("line-1v"), utf8(""), utf8("User:a")))) {
            assertThat(key.verifies(signature, other)).isFalse();
        }
        byte[] otherSecret = SECRET.clone();
        otherSecret[0]++;
        assertThat(SigningKey.of("k", otherSecret).verifies(signature, signed)).isFalse();
        assertThat(SigningKey.of("j", SECRET).verifies(signature, signed))
                .as("another key id")
                .isFalse();
    }

    @Test
    void malformedSignatureHeadersAreRefusedWithWhatWasFound() {
        assertThatThrownBy(() -> CommandSignature.parse("no-colon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "expected inctrl-signature <keyId>:<base64 HMAC-SHA256>, found"
                                + " \"no-colon\"");
        assertThatThrownBy(() -> CommandSignature.parse("k:***"))
                .hasMessage(
                        "expected inctrl-signature <keyId>:<base64 HMAC-SHA256>, found \"k:***\":"
                                + " not base64");
        assertThatThrownBy(() -> CommandSignature.parse("k:AAAA"))
                .hasMessageEndingWith(": expected an HMAC-SHA256 of 32 bytes, found 3");
        assertThatThrownBy(() -> CommandSignature.parse("bad id:" + SECRET_BASE64))
                .hasMessageEndingWith(
                        ": expected a key id of 1 to 64 letters, digits, '.', '_' or '-', found"
                                + " \"bad id\"");
        assertThatThrownBy(() -> CommandSignature.parse(null)).hasMessageEndingWith("found null");
    }

    @Test
    void keysAreNamedButNeverShown() {
        SigningKey key = SigningKey.fromBase64("k1", SECRET_BASE64 + "\n");

        assertThat(key.toString()).isEqualTo("SigningKey[k1]").doesNotContain(SECRET_BASE64);
        assertThatThrownBy(() -> SigningKey.of("k1", new byte[31]))
                .hasMessage("the secret of key \"k1\" is 31 bytes, expected at least 32");
        assertThatThrownBy(() -> SigningKey.fromBase64("k1", "not base64!"))
                .hasMessage("the secret of key \"k1\" is not base64");
    }

    @Test
    void aKeysFileHasOneKeyPerLineWithCommentsAndBlanks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(
                file,
                "# rotation 2026-12\n\n ops-1 = "
                        + SECRET_BASE64
                        + " \nops-2="
                        + Base64.getEncoder().encodeToString(new byte[40])
                        + "\n");

        Map<String, SigningKey> keys = SigningKeys.read(file);

        assertThat(keys).containsOnlyKeys("ops-1", "ops-2");
        byte[] signed = CommandSignatures.signedBytes(null, utf8("x"), null);
        assertThat(keys.get("ops-1").verifies(SigningKey.of("ops-1", SECRET).sign(signed), signed))
                .isTrue();
    }

    @Test
    void aMalformedKeysFileNamesTheLineAndNeverTheSecret() {
        String other = Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> SigningKeys.parse(List.of("# only comments", ""), "keys"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys: expected at least one keyId=base64secret line, found none");
        assertThatThrownBy(() -> SigningKeys.parse(List.of(SECRET_BASE64.replace("=", "")), "keys"))
                .hasMessage("keys line 1: expected keyId=base64secret, found no '='");
        assertThatThrownBy(() -> SigningKeys.parse(List.of("a=" + other, "b=%%%" + other), "keys"))
                .hasMessage("keys line 2: the secret of key \"b\" is not base64")
                .message()
                .doesNotContain(other);
        assertThatThrownBy(() -> SigningKeys.parse(List.of("a=" + other, "a=" + other), "keys"))
                .hasMessage("keys line 2: key \"a\" is defined again (first on line 1)");
        assertThatThrownBy(() -> SigningKeys.parse(List.of("a b=" + other), "keys"))
                .hasMessage(
                        "keys line 1: expected keyId=base64secret with a key id of 1 to 64"
                                + " letters, digits, '.', '_' or '-', found 3 characters before the"
                                + " first '=' that are not one (not shown: they may hold a secret)");
        // A forgotten '=' with a padded secret: the secret must not show.
        assertThatThrownBy(() -> SigningKeys.parse(List.of("a " + SECRET_BASE64), "keys"))
                .message()
                .doesNotContain(SECRET_BASE64.substring(0, 20));
        assertThatThrownBy(() -> SigningKeys.parse(List.of("a=AAAA"), "keys"))
                .hasMessage(
                        "keys line 1: the secret of key \"a\" is 3 bytes, expected at least 32");
    }
}
