package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.ImageFailure;
import io.inctrlstream.job.inference.RecordProvenance;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.LineIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/**
 * Builds the dead letter of a refused input record: its provenance, the reason, and its value bytes
 * cut to a configured maximum. Keyed by the original record's key (its first {@link #MAX_KEY_BYTES}
 * bytes).
 */
public final class DeadLetters implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Most bytes of the original key a dead letter keeps, and is keyed by. A line's key is at most
     * {@value LineIds#MAX_LENGTH} bytes; a longer key is garbage or malice, and kept whole it would
     * be in the dead letter twice (as its key and in its {@code key} field), beyond what the
     * dead-letters topic takes.
     */
    public static final int MAX_KEY_BYTES = 256;

    private final AvroCodec<DeadLetter> codec = AvroCodec.deadLetters();

    /**
     * The provenance of {@code record}, with its value cut to {@code maxBytes} and its key to
     * {@link #MAX_KEY_BYTES} (neither copied when it fits).
     */
    public static RecordProvenance provenance(RawRecord record, int maxBytes, long receivedMillis) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException(
                    "dead letter max bytes must not be negative, found " + maxBytes);
        }
        byte[] value = record.value();
        byte[] kept = value.length > maxBytes ? Arrays.copyOf(value, maxBytes) : value;
        byte[] key = record.key();
        return new RecordProvenance(
                record.topic(),
                record.partition(),
                record.offset(),
                key != null && key.length > MAX_KEY_BYTES ? Arrays.copyOf(key, MAX_KEY_BYTES) : key,
                kept,
                value.length,
                receivedMillis);
    }

    /** The dead-letter reason of a frame whose image did not decode. */
    public static DeadLetterReason reasonOf(ImageFailure failure) {
        switch (failure) {
            case IMAGE_CORRUPT:
                return DeadLetterReason.IMAGE_CORRUPT;
            case IMAGE_TOO_LARGE:
                return DeadLetterReason.IMAGE_TOO_LARGE;
            case IMAGE_SIZE_MISMATCH:
                return DeadLetterReason.IMAGE_SIZE_MISMATCH;
            case IMAGE_UNSUPPORTED:
                return DeadLetterReason.IMAGE_UNSUPPORTED;
            default:
                throw new IllegalArgumentException("unknown image failure " + failure);
        }
    }

    /** The dead letter of the record {@code provenance} describes. */
    public DeadLetter of(RecordProvenance provenance, DeadLetterReason reason, String message) {
        return DeadLetter.newBuilder()
                .setSourceTopic(provenance.topic())
                .setPartition(provenance.partition())
                .setOffset(provenance.offset())
                .setKey(provenance.key() == null ? null : ByteBuffer.wrap(provenance.key()))
                .setReasonCode(reason.name())
                .setReason(message)
                .setReceivedTime(Instant.ofEpochMilli(provenance.receivedTimeMillis()))
                .setOriginalBytes(ByteBuffer.wrap(provenance.valuePrefix()))
                .setOriginalSize(provenance.valueSize())
                .setTruncated(provenance.truncated())
                .build();
    }

    /** That dead letter, encoded and keyed (by the original key) for the dead-letters topic. */
    public OutboundRecord encode(
            RecordProvenance provenance, DeadLetterReason reason, String message) {
        return new OutboundRecord(provenance.key(), codec.encode(of(provenance, reason, message)));
    }
}
