package io.inctrlstream.launcher.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.schema.ClearShots;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.signing.CommandSignature;
import io.inctrlstream.schema.signing.CommandSignatures;
import io.inctrlstream.schema.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The control records the launcher writes: keyed by line, the principal header when known, and a
 * signature the job's verification accepts (over key, value and principal).
 */
class ControlRecordsTest {
    private static final SigningKey KEY = SigningKey.of("ops-1", new byte[32]);
    private static final ControlCommand COMMAND =
            ControlClient.command("line-1", ClearShots.newBuilder().build(), "tester");

    private static byte[] header(ProducerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : header.value();
    }

    @Test
    void aSignedRecordOfAnAuthenticatedClientVerifiesWithItsPrincipal() throws Exception {
        ProducerRecord<byte[], byte[]> record =
                new ControlRecords("control", "User:alice", KEY).of(COMMAND);

        assertThat(record.topic()).isEqualTo("control");
        assertThat(record.key()).isEqualTo(RecordIds.lineKey("line-1"));
        assertThat(AvroCodec.controlCommands().decode(record.value())).isEqualTo(COMMAND);
        assertThat(record.headers().toArray())
                .extracting(Header::key)
                .containsExactly("inctrl-principal", "inctrl-signature");
        byte[] principal = header(record, CommandSignatures.PRINCIPAL_HEADER);
        assertThat(new String(principal, StandardCharsets.UTF_8)).isEqualTo("User:alice");
        CommandSignature signature =
                CommandSignature.parse(
                        new String(
                                header(record, CommandSignatures.SIGNATURE_HEADER),
                                StandardCharsets.UTF_8));
        assertThat(signature.keyId()).isEqualTo("ops-1");
        assertThat(
                        KEY.verifies(
                                signature,
                                CommandSignatures.signedBytes(
                                        record.key(), record.value(), principal)))
                .isTrue();
        assertThat(
                        KEY.verifies(
                                signature,
                                CommandSignatures.signedBytes(record.key(), record.value(), null)))
                .as("the principal is signed too")
                .isFalse();
    }

    @Test
    void withoutPrincipalOrKeyTheRecordHasOnlyWhatIsKnown() {
        ProducerRecord<byte[], byte[]> signedOnly =
                new ControlRecords("control", null, KEY).of(COMMAND);
        ProducerRecord<byte[], byte[]> plain =
                new ControlRecords("control", null, null).of(COMMAND);

        assertThat(signedOnly.headers().toArray())
                .extracting(Header::key)
                .containsExactly("inctrl-signature");
        CommandSignature signature =
                CommandSignature.parse(
                        new String(
                                header(signedOnly, CommandSignatures.SIGNATURE_HEADER),
                                StandardCharsets.UTF_8));
        assertThat(
                        KEY.verifies(
                                signature,
                                CommandSignatures.signedBytes(
                                        signedOnly.key(), signedOnly.value(), null)))
                .isTrue();
        assertThat(plain.headers().toArray()).isEmpty();
    }

    @Test
    void thePrincipalIsKnownForSaslPlainAndScramOnly() {
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"alice\" password=\"secret\";";
        assertThat(settings(Map.of()).principal()).isEmpty();
        assertThat(
                        settings(
                                        Map.of(
                                                "security.protocol", "SASL_SSL",
                                                "sasl.mechanism", "PLAIN",
                                                "sasl.jaas.config", jaas))
                                .principal())
                .contains("User:alice");
        assertThat(
                        settings(
                                        Map.of(
                                                "security.protocol", "sasl_plaintext",
                                                "sasl.mechanism", "SCRAM-SHA-512",
                                                "sasl.jaas.config",
                                                        "x.ScramLoginModule required username=bob"
                                                                + " password=p;"))
                                .principal())
                .contains("User:bob");
        assertThat(
                        settings(
                                        Map.of(
                                                "security.protocol", "PLAINTEXT",
                                                "sasl.mechanism", "PLAIN",
                                                "sasl.jaas.config", jaas))
                                .principal())
                .as("not authenticated")
                .isEmpty();
        assertThat(
                        settings(
                                        Map.of(
                                                "security.protocol", "SASL_SSL",
                                                "sasl.mechanism", "GSSAPI",
                                                "sasl.jaas.config", jaas))
                                .principal())
                .as("Kerberos: the broker maps the principal itself")
                .isEmpty();
    }

    private static KafkaClientSettings settings(Map<String, String> properties) {
        return new KafkaClientSettings("localhost:9092", properties);
    }
}
