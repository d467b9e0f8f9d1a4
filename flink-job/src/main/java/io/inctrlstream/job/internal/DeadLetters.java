package io.inctrlstream.job.internal;

import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.codec.AvroCodec;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/**
 * Builds the dead letter of a refused input record: its provenance, the reason, and its value bytes
 * cut to a configured maximum. Keyed by the original record's key.
 */
public final class DeadLetters implements Serializable {
    private static final long serialVersionUID = 1L;

    private final AvroCodec<DeadLetter> codec = AvroCodec.deadLetters();
    private final int maxBytes;

    public DeadLetters(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException(
                    "dead letter max bytes must not be negative, found " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The dead letter of {@code record}. */
    public DeadLetter of(
            RawRecord record, DeadLetterReason reason, String message, long receivedMillis) {
        byte[] value = record.value();
        boolean truncated = value.length > maxBytes;
        byte[] kept = truncated ? Arrays.copyOf(value, maxBytes) : value;
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setReasonCode(reason.name())
                .setReason(message)
                .setReceivedTime(Instant.ofEpochMilli(receivedMillis))
                .setOriginalBytes(ByteBuffer.wrap(kept))
                .setOriginalSize(value.length)
                .setTruncated(truncated)
                .build();
    }

    /** The dead letter of {@code record}, encoded and keyed for the dead-letters topic. */
    public OutboundRecord encode(
            RawRecord record, DeadLetterReason reason, String message, long receivedMillis) {
        return new OutboundRecord(
                record.key(), codec.encode(of(record, reason, message, receivedMillis)));
    }
}
