package io.inctrlstream.job.inference.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used lines' serialized banks, up to a byte budget, so that scoring a frame does
 * not deserialize the (large) bank from keyed state every time. The budget counts the banks' bytes;
 * a bank larger than the whole budget is not cached. An entry is valid only for the shots version
 * it was stored with; the operator writes through on every bank change. Task thread only (the byte
 * count may be read from any thread).
 */
final class BankCache {
    private record Cached(long version, byte[] bytes) {}

    private final long maxBytes;
    private final LinkedHashMap<String, Cached> byLine = new LinkedHashMap<>(16, 0.75f, true);
    private volatile long bytes;

    BankCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException(
                    "the bank cache budget must not be negative, found " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
    }

    /** The bank of {@code lineId} at {@code version}, or null when not cached. */
    byte[] get(String lineId, long version) {
        Cached cached = byLine.get(lineId);
        return cached != null && cached.version() == version ? cached.bytes() : null;
    }

    void put(String lineId, long version, byte[] bank) {
        remove(lineId);
        if (bank.length > maxBytes) {
            return;
        }
        byLine.put(lineId, new Cached(version, bank));
        long total = bytes + bank.length;
        Iterator<Map.Entry<String, Cached>> eldest = byLine.entrySet().iterator();
        while (total > maxBytes) {
            total -= eldest.next().getValue().bytes().length;
            eldest.remove();
        }
        bytes = total;
    }

    void remove(String lineId) {
        Cached removed = byLine.remove(lineId);
        if (removed != null) {
            bytes -= removed.bytes().length;
        }
    }

    void clear() {
        byLine.clear();
        bytes = 0;
    }

    /** The bytes of the banks held. */
    long bytes() {
        return bytes;
    }

    /** The lines whose bank is held. */
    int lines() {
        return byLine.size();
    }
}
