package io.inctrlstream.it;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The memory high-water marks of this JVM (broker, MiniCluster and test together) while it runs:
 * the heap retained after each garbage collection (what the heap holds live, unlike the used heap
 * between collections, which grows with garbage up to -Xmx), and the direct and mapped NIO buffers
 * (sampled every 100 ms). Native memory of ONNX Runtime, RocksDB and the JIT is outside both and
 * not measured here.
 */
final class MemoryWatch implements AutoCloseable {
    private final AtomicLong maxHeapAfterGc = new AtomicLong();
    private final AtomicLong maxDirect = new AtomicLong();
    private final AtomicLong maxMapped = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;
    private final ScheduledExecutorService sampler =
            Executors.newSingleThreadScheduledExecutor(
                    runnable -> {
                        Thread thread = new Thread(runnable, "it-memory-watch");
                        thread.setDaemon(true);
                        return thread;
                    });

    /**
     * Starts watching, after a collection: the direct buffers earlier tests in this JVM left as
     * garbage are freed only by a collection, and would otherwise count towards this test's
     * figures.
     */
    MemoryWatch() {
        System.gc();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        sampler.scheduleAtFixedRate(this::sampleBuffers, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** The most heap retained after any collection since the start, in bytes. */
    long maxHeapAfterGc() {
        return maxHeapAfterGc.get();
    }

    /** The most direct NIO buffer memory sampled, in bytes. */
    long maxDirect() {
        return maxDirect.get();
    }

    /** The most memory-mapped NIO buffer memory sampled (Kafka's index files), in bytes. */
    long maxMapped() {
        return maxMapped.get();
    }

    /** Garbage collections seen since the start. */
    long collections() {
        return collections.get();
    }

    private void collected(Notification notification, Object handback) {
        if (!notification
                .getType()
                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long retained = 0;
        for (Map.Entry<String, MemoryUsage> pool :
                info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(pool.getKey())) {
                retained += pool.getValue().getUsed();
            }
        }
        collections.incrementAndGet();
        maxHeapAfterGc.accumulateAndGet(retained, Math::max);
    }

    private static boolean isHeapPool(String name) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(
                        pool ->
                                pool.getName().equals(name)
                                        && pool.getType() == java.lang.management.MemoryType.HEAP);
    }

    private void sampleBuffers() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                maxDirect.accumulateAndGet(pool.getMemoryUsed(), Math::max);
            } else if (pool.getName().equals("mapped")) {
                maxMapped.accumulateAndGet(pool.getMemoryUsed(), Math::max);
            }
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // not registered: nothing to remove
            }
        }
    }
}
