package io.inctrlstream.job;

import io.inctrlstream.job.io.LineStateStore;
import io.inctrlstream.job.io.OutboundRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A line-state store holding the given records in order, as the compacted topic would before
 * compaction (serializable: it travels with the job graph).
 */
public final class InMemoryLineStateStore implements LineStateStore {
    private static final long serialVersionUID = 1L;

    private final ArrayList<byte[]> keys = new ArrayList<>();
    private final ArrayList<byte[]> values = new ArrayList<>();

    /** A store of these records (a null value is a tombstone). */
    public InMemoryLineStateStore(Collection<OutboundRecord> records) {
        for (OutboundRecord record : records) {
            keys.add(record.key());
            values.add(record.value());
        }
    }

    /** A store of this one record. */
    public static InMemoryLineStateStore of(byte[] key, byte[] value) {
        InMemoryLineStateStore store = new InMemoryLineStateStore(List.of());
        store.keys.add(key);
        store.values.add(value);
        return store;
    }

    @Override
    public void readAll(Visitor visitor) throws IOException {
        for (int i = 0; i < keys.size(); i++) {
            visitor.record(keys.get(i), values.get(i));
        }
    }

    @Override
    public String toString() {
        return "an in-memory line-state store of " + keys.size() + " records";
    }
}
