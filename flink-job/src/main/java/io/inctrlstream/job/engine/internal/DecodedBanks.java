package io.inctrlstream.job.engine.internal;

import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.ShotBankCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded shot banks of the most recently scored lines, least recently used evicted. A line's
 * entry is replaced when its shots version changes: within one backend a (line, version) always has
 * the same bytes (see {@link ShotBankRef}).
 */
public final class DecodedBanks {
    private final Map<String, Entry> byLine;

    public DecodedBanks(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, found " + capacity);
        }
        this.byLine =
                new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                        return size() > capacity;
                    }
                };
    }

    /**
     * The decoded bank of {@code ref}.
     *
     * @throws ModelException SHOT_BANK_CORRUPT if the bytes are not a shot bank
     */
    public synchronized ShotBank get(ShotBankRef ref) throws ModelException {
        Entry entry = byLine.get(ref.lineId());
        if (entry != null && entry.version == ref.version()) {
            return entry.bank;
        }
        ShotBank bank = ShotBankCodec.decode(ref.bytes());
        byLine.put(ref.lineId(), new Entry(ref.version(), bank));
        return bank;
    }

    private record Entry(long version, ShotBank bank) {}
}
