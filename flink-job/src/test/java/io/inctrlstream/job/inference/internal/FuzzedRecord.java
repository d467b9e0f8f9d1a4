package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.TestRecords;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.schema.RecordIds;
import java.util.Arrays;

/**
 * How {@link LineInputFuzzTest} reads a fuzzer input: one byte choosing the topic (frames, control
 * or another), one byte giving the shots the line already has (for the command's validation), then
 * the record's value, keyed by line {@link #LINE}.
 *
 * @param topic the topic the record comes from
 * @param existingShots the shots of the line the command is validated against
 * @param value the record's value
 */
record FuzzedRecord(String topic, int existingShots, byte[] value) {
    static final String LINE = "line-1";
    static final String OTHER_TOPIC = "other";
    private static final String[] TOPICS = {TestRecords.FRAMES, TestRecords.CONTROL, OTHER_TOPIC};
    private static final int HEADER_BYTES = 2;

    static FuzzedRecord parse(byte[] input) {
        byte[] header = Arrays.copyOf(input, HEADER_BYTES);
        byte[] value =
                input.length > HEADER_BYTES
                        ? Arrays.copyOfRange(input, HEADER_BYTES, input.length)
                        : new byte[0];
        return new FuzzedRecord(
                TOPICS[(header[0] & 0xFF) % TOPICS.length], header[1] & 0xFF, value);
    }

    /** The fuzzer input that {@link #parse} reads as this record. */
    byte[] toInput() {
        byte[] input = new byte[HEADER_BYTES + value.length];
        input[0] = (byte) Arrays.asList(TOPICS).indexOf(topic);
        input[1] = (byte) existingShots;
        System.arraycopy(value, 0, input, HEADER_BYTES, value.length);
        return input;
    }

    /** The record as the Kafka source would emit it. */
    RawRecord raw(long offset) {
        return new RawRecord(topic, 0, offset, RecordIds.lineKey(LINE), value, offset);
    }
}
