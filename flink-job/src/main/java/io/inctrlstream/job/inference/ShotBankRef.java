package io.inctrlstream.job.inference;

import java.util.Objects;

/**
 * A line's shot bank as the backend serialized it ({@link InferenceBackend#buildBank}), with the
 * line's shots version. Within the lifetime of one backend instance a given {@code (lineId,
 * version)} always carries the same bytes, so a backend may cache the decoded bank under that key
 * instead of decoding the bytes for every batch.
 *
 * @param lineId the production line
 * @param version the line's shots version (increments on every bank change)
 * @param bytes the serialized bank; not copied, treat as immutable
 */
public record ShotBankRef(String lineId, long version, byte[] bytes) {
    public ShotBankRef {
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public String toString() {
        return "ShotBankRef[" + lineId + " v" + version + ", " + bytes.length + " bytes]";
    }
}
