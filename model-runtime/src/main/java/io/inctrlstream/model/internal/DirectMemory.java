package io.inctrlstream.model.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Frees a direct buffer's native memory at once instead of when the garbage collector happens to
 * collect the buffer: a process that replaces megabytes of direct buffers per second (decoded shot
 * banks evicted from a cache) otherwise reaches its direct memory limit long before a collection
 * runs. Uses the JDK's {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, present in
 * every JDK 9+); where it is missing, {@link #free} does nothing and the collector frees the memory
 * as before ({@link #canFree} says which).
 */
public final class DirectMemory {
    private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

    private DirectMemory() {}

    /** Whether {@link #free} really frees memory on this JVM. */
    public static boolean canFree() {
        return INVOKE_CLEANER != null;
    }

    /**
     * Frees {@code buffer}'s native memory now, if it is a direct buffer that owns its memory (the
     * one {@link ByteBuffer#allocateDirect} returned). The caller guarantees that neither it nor
     * any view of it is read or written afterwards: that would read freed memory. A view (slice or
     * duplicate) or a heap buffer, and any buffer where the JVM cannot free early, is left to the
     * garbage collector.
     *
     * @return whether the memory was freed now
     */
    public static boolean free(ByteBuffer buffer) {
        if (!buffer.isDirect() || INVOKE_CLEANER == null) {
            return false;
        }
        try {
            INVOKE_CLEANER.invoke(buffer);
            return true;
        } catch (IllegalArgumentException e) {
            return false; // a view: the memory belongs to the buffer it views
        } catch (Throwable e) {
            throw new IllegalStateException("could not free a direct buffer: " + e, e);
        }
    }

    private static MethodHandle findInvokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            return MethodHandles.lookup()
                    .findVirtual(
                            unsafeClass,
                            "invokeCleaner",
                            MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
