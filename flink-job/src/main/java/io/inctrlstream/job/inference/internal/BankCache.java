package io.inctrlstream.job.inference.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used lines' serialized banks, so that scoring a frame does not deserialize the
 * (large) bank from keyed state every time. An entry is valid only for the shots version it was
 * stored with; the operator writes through on every bank change. Task thread only.
 */
final class BankCache {
    private record Cached(long version, byte[] bytes) {}

    private final int maxLines;
    private final LinkedHashMap<String, Cached> byLine;

    BankCache(int maxLines) {
        this.maxLines = maxLines;
        this.byLine =
                new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                        return size() > BankCache.this.maxLines;
                    }
                };
    }

    /** The bank of {@code lineId} at {@code version}, or null when not cached. */
    byte[] get(String lineId, long version) {
        Cached cached = byLine.get(lineId);
        return cached != null && cached.version() == version ? cached.bytes() : null;
    }

    void put(String lineId, long version, byte[] bytes) {
        if (maxLines > 0) {
            byLine.put(lineId, new Cached(version, bytes));
        }
    }

    void remove(String lineId) {
        byLine.remove(lineId);
    }

    void clear() {
        byLine.clear();
    }
}
