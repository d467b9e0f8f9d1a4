package io.inctrlstream.launcher.internal.kafka;

import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.signing.CommandSignatures;
import io.inctrlstream.schema.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka record of a control command: keyed by its line id, the Avro value, and the headers of
 * docs/topics-and-schemas.md: the writer's principal ({@value CommandSignatures#PRINCIPAL_HEADER})
 * when it is known, and the signature ({@value CommandSignatures#SIGNATURE_HEADER}) over key, value
 * and principal when a signing key is given.
 */
final class ControlRecords {
    private final String topic;
    private final String principal;
    private final SigningKey signing;
    private final AvroCodec<ControlCommand> codec = AvroCodec.controlCommands();

    /**
     * @param principal the principal to name, or null
     * @param signing the key that signs every record, or null
     */
    ControlRecords(String topic, String principal, SigningKey signing) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.principal = principal;
        this.signing = signing;
    }

    ProducerRecord<byte[], byte[]> of(ControlCommand command) {
        byte[] key = RecordIds.lineKey(command.getLineId());
        byte[] value = codec.encode(command);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
        byte[] principalBytes =
                principal == null ? null : principal.getBytes(StandardCharsets.UTF_8);
        if (principalBytes != null) {
            record.headers().add(CommandSignatures.PRINCIPAL_HEADER, principalBytes);
        }
        if (signing != null) {
            String signature =
                    signing.sign(CommandSignatures.signedBytes(key, value, principalBytes))
                            .headerValue();
            record.headers()
                    .add(
                            CommandSignatures.SIGNATURE_HEADER,
                            signature.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
