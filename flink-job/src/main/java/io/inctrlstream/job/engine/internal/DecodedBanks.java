package io.inctrlstream.job.engine.internal;

import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.ShotBankCodec;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The decoded shot banks of the most recently scored lines, up to a byte budget of the banks'
 * direct memory ({@link ShotBank#sizeBytes()}), least recently used evicted; a bank larger than the
 * whole budget is decoded for its batch and not kept. A line's entry is replaced when its shots
 * version changes: within one backend a (line, version) always has the same bytes (see {@link
 * ShotBankRef}). An evicted bank's direct memory is freed when the garbage collector collects it.
 */
public final class DecodedBanks {
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> byLine = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    public DecodedBanks(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException(
                    "the decoded bank budget must not be negative, found " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
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
        if (entry != null) {
            byLine.remove(ref.lineId());
            bytes -= entry.bank.sizeBytes();
        }
        if (bank.sizeBytes() <= maxBytes) {
            byLine.put(ref.lineId(), new Entry(ref.version(), bank));
            bytes += bank.sizeBytes();
            Iterator<Entry> eldest = byLine.values().iterator();
            while (bytes > maxBytes) {
                bytes -= eldest.next().bank.sizeBytes();
                eldest.remove();
            }
        }
        return bank;
    }

    /** The direct memory of the banks kept. */
    public synchronized long bytes() {
        return bytes;
    }

    /** How many lines' banks are kept. */
    public synchronized int lines() {
        return byLine.size();
    }

    private record Entry(long version, ShotBank bank) {}
}
