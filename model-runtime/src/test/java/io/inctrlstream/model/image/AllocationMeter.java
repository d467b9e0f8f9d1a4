package io.inctrlstream.model.image;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Measures what an action allocates on the heap of the current thread, for the fuzz targets'
 * allocation bounds. Loading a class (and, while fuzzing, instrumenting it) allocates far more than
 * decoding a small input and happens once per class; so an action during which a class was loaded
 * is run once more, and measured then.
 */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    private AllocationMeter() {}

    /**
     * The action's result and the bytes it allocated: empty if classes were loaded both times it
     * ran (another thread loading classes meanwhile, say).
     *
     * @param <T> the result type
     * @param result what the action returned (the last time it ran)
     * @param allocatedBytes what it allocated
     */
    record Measured<T>(T result, OptionalLong allocatedBytes) {}

    /** Runs {@code action}, twice if a class was loaded the first time; it must be repeatable. */
    static <T> Measured<T> measure(Supplier<T> action) {
        Measured<T> first = runOnce(action);
        return first.allocatedBytes().isPresent() ? first : runOnce(action);
    }

    private static <T> Measured<T> runOnce(Supplier<T> action) {
        long classesBefore = CLASSES.getTotalLoadedClassCount();
        long bytesBefore = THREADS.getCurrentThreadAllocatedBytes();
        T result = action.get();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - bytesBefore;
        boolean loadedClasses = CLASSES.getTotalLoadedClassCount() != classesBefore;
        return new Measured<>(
                result, loadedClasses ? OptionalLong.empty() : OptionalLong.of(allocated));
    }
}
