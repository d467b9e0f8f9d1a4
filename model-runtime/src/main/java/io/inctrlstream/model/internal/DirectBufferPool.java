package io.inctrlstream.model.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reuses direct, native-order buffers for graph inputs, so that feeding ONNX Runtime costs one copy
 * into native memory and no fresh direct allocation per call (direct memory is only freed by
 * garbage collection). Thread-safe; keeps at most a few idle buffers.
 */
public final class DirectBufferPool {
    private final ConcurrentLinkedDeque<ByteBuffer> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int maxIdle;

    public DirectBufferPool(int maxIdle) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must be >= 0, found " + maxIdle);
        }
        this.maxIdle = maxIdle;
    }

    /** A buffer with position 0 and limit {@code floats * 4}, contents undefined. */
    public ByteBuffer acquire(long floats) {
        long bytes = floats * Float.BYTES;
        if (floats < 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "cannot hold " + floats + " floats in one direct buffer");
        }
        ByteBuffer buffer = idle.pollFirst();
        if (buffer != null) {
            idleCount.decrementAndGet();
        }
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        }
        buffer.clear().limit((int) bytes);
        return buffer;
    }

    /** Returns a buffer from {@link #acquire}; the caller must no longer use it. */
    public void release(ByteBuffer buffer) {
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offerFirst(buffer);
        } else {
            idleCount.decrementAndGet();
        }
    }
}
