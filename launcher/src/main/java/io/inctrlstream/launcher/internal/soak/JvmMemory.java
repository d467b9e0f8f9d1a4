package io.inctrlstream.launcher.internal.soak;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's memory (the soak runs broker, Flink and job in one): heap used now, heap retained
 * after the latest garbage collection (the live heap, unlike "used", which grows with garbage up to
 * the next collection), and direct and mapped NIO buffers. Native memory of ONNX Runtime and
 * RocksDB is outside all of these.
 */
final class JvmMemory implements AutoCloseable {
    private final Set<String> heapPools =
            ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .map(MemoryPoolMXBean::getName)
                    .collect(Collectors.toSet());
    private final AtomicLong heapAfterGc = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;

    /** Starts listening to garbage collections. */
    JvmMemory() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** The memory now. */
    Usage usage() {
        long direct = 0;
        long mapped = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
            } else if (pool.getName().equals("mapped")) {
                mapped = pool.getMemoryUsed();
            }
        }
        return new Usage(
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                heapAfterGc.get(),
                direct,
                mapped);
    }

    private void collected(Notification notification, Object handback) {
        if (!notification
                .getType()
                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long retained =
                info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> heapPools.contains(pool.getKey()))
                        .mapToLong(pool -> pool.getValue().getUsed())
                        .sum();
        heapAfterGc.set(retained);
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // not registered: nothing to remove
            }
        }
    }

    /**
     * Memory at one moment, in bytes.
     *
     * @param heapUsed heap in use, garbage included
     * @param heapAfterGc heap retained after the latest collection (0 before the first)
     * @param direct direct NIO buffers
     * @param mapped memory-mapped NIO buffers (Kafka's index files)
     */
    record Usage(long heapUsed, long heapAfterGc, long direct, long mapped) {}
}
