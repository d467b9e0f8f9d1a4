package io.inctrlstream.job;

/** Where the job keeps its keyed state (the lines' shots, settings and queued inputs). */
public enum StateBackendKind {
    /** On the JVM heap: fast, bounded by the heap; for few lines and small banks, and tests. */
    HASHMAP("hashmap"),
    /** In RocksDB on local disk, with incremental checkpoints: for many lines and large banks. */
    ROCKSDB("rocksdb");

    private final String flinkName;

    StateBackendKind(String flinkName) {
        this.flinkName = flinkName;
    }

    /** The value of Flink's {@code state.backend.type}. */
    public String flinkName() {
        return flinkName;
    }
}
