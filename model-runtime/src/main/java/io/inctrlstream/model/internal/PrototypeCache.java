package io.inctrlstream.model.internal;

import io.inctrlstream.model.TextPrototypes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text prototypes already resolved, per category, for at most a fixed number of categories.
 * Every distinct category lines set would otherwise stay cached for the engine's life; past the
 * limit, further categories are not kept (the caller computes them again on each use, which for a
 * category is once per bank build).
 */
public final class PrototypeCache {
    private final int limit;
    private final Map<String, TextPrototypes> cached = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public PrototypeCache(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException(
                    "the prototype cache limit must not be negative, found " + limit);
        }
        this.limit = limit;
    }

    /** The prototypes kept for {@code category}, or null. */
    public TextPrototypes get(String category) {
        return cached.get(category);
    }

    /**
     * Keeps {@code resolved} for {@code category} while there is room, and returns what is kept for
     * it afterwards: the prototypes another thread kept first, else {@code resolved}.
     */
    public TextPrototypes keep(String category, TextPrototypes resolved) {
        if (cached.size() >= limit) {
            TextPrototypes existing = cached.get(category);
            return existing != null ? existing : resolved;
        }
        TextPrototypes raced = cached.putIfAbsent(category, resolved);
        return raced != null ? raced : resolved;
    }

    /** How many categories are kept. */
    public int size() {
        return cached.size();
    }
}
