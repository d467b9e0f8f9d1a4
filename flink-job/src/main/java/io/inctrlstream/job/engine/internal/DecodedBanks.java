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
 * ShotBankRef}).
 *
 * <p>A bank is handed out as a {@link Lease}; a bank dropped from the cache (evicted, replaced, or
 * never kept) is closed, freeing its direct memory at once, as soon as no lease on it is open. So
 * the direct memory of decoded banks stays within the budget plus the banks of the batches being
 * scored, however many lines take turns (the garbage collector would free dropped banks only when
 * it happens to run: hundreds of megabytes later at official size).
 */
public final class DecodedBanks implements AutoCloseable {
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> byLine = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private boolean closed;

    public DecodedBanks(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException(
                    "the decoded bank budget must not be negative, found " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * A lease on the decoded bank of {@code ref}; close it when the bank is no longer read.
     *
     * @throws ModelException SHOT_BANK_CORRUPT if the bytes are not a shot bank
     * @throws IllegalStateException if this cache is closed
     */
    public Lease lease(ShotBankRef ref) throws ModelException {
        synchronized (this) {
            requireOpen();
            Entry entry = byLine.get(ref.lineId());
            if (entry != null && entry.version == ref.version()) {
                entry.leases++;
                return new Lease(entry);
            }
        }
        // Decoded outside the lock: other lines' frames need not wait for it.
        ShotBank bank = ShotBankCodec.decode(ref.bytes());
        synchronized (this) {
            if (closed) {
                bank.close();
                requireOpen();
            }
            Entry current = byLine.get(ref.lineId());
            if (current != null && current.version == ref.version()) {
                // Another thread decoded the same bank meanwhile: keep one.
                bank.close();
                current.leases++;
                return new Lease(current);
            }
            Entry entry = new Entry(ref.version(), bank);
            entry.leases = 1;
            if (current != null) {
                drop(byLine.remove(ref.lineId()));
            }
            if (bank.sizeBytes() <= maxBytes) {
                byLine.put(ref.lineId(), entry);
                bytes += bank.sizeBytes();
                Iterator<Entry> eldest = byLine.values().iterator();
                while (bytes > maxBytes) {
                    Entry evicted = eldest.next();
                    eldest.remove();
                    drop(evicted);
                }
            } else {
                entry.dropped = true; // closed when its only lease is
            }
            return new Lease(entry);
        }
    }

    /** The direct memory of the banks kept. */
    public synchronized long bytes() {
        return bytes;
    }

    /** How many lines' banks are kept. */
    public synchronized int lines() {
        return byLine.size();
    }

    /** Drops every bank: each is closed now, or when its last open lease is. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Entry entry : byLine.values()) {
            drop(entry);
        }
        byLine.clear();
    }

    /** Called with the lock held, for an entry just removed from {@link #byLine}. */
    private void drop(Entry entry) {
        bytes -= entry.bank.sizeBytes();
        entry.dropped = true;
        if (entry.leases == 0) {
            entry.bank.close();
        }
    }

    private synchronized void release(Entry entry) {
        entry.leases--;
        if (entry.leases == 0 && entry.dropped) {
            entry.bank.close();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the decoded bank cache is closed");
        }
    }

    /** The use of one decoded bank by one batch: the bank stays open until the lease is closed. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /**
         * The bank, open while this lease is.
         *
         * @throws IllegalStateException if this lease is closed
         */
        public ShotBank bank() {
            if (released) {
                throw new IllegalStateException("the lease on " + entry.bank + " is closed");
            }
            return entry.bank;
        }

        /** Ends this use of the bank; idempotent. */
        @Override
        public void close() {
            if (!released) {
                released = true;
                release(entry);
            }
        }
    }

    /** A decoded bank, with the leases open on it (guarded by the cache's lock). */
    private static final class Entry {
        final long version;
        final ShotBank bank;
        int leases;
        boolean dropped;

        Entry(long version, ShotBank bank) {
            this.version = version;
            this.bank = bank;
        }
    }
}
