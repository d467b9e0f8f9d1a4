package io.inctrlstream.it;

import io.inctrlstream.job.io.RawRecord;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Passes input records through, except that once {@linkplain #arm() armed} it throws on the next
 * record it sees: a task failure injected mid-stream. It fails once per arming, whichever subtask
 * sees a record first. The flag is static because the MiniCluster runs the tasks in the test's JVM.
 */
final class FailOnDemand implements MapFunction<RawRecord, RawRecord> {
    private static final long serialVersionUID = 1L;

    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final AtomicInteger FAILURES = new AtomicInteger();

    /** Makes the next record fail its task. */
    static void arm() {
        ARMED.set(true);
    }

    /** Disarms and forgets earlier failures (call before each test). */
    static void reset() {
        ARMED.set(false);
        FAILURES.set(0);
    }

    /** How many failures were injected since the last reset. */
    static int failures() {
        return FAILURES.get();
    }

    @Override
    public RawRecord map(RawRecord record) {
        if (ARMED.compareAndSet(true, false)) {
            FAILURES.incrementAndGet();
            throw new InjectedFailure("injected task failure at " + record);
        }
        return record;
    }

    /** The exception of an injected failure. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
