package io.inctrlstream.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {
    @Test
    void givesDirectNativeBuffersOfTheAskedLength() {
        ByteBuffer buffer = new DirectBufferPool(1).acquire(10);

        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(buffer.position()).isZero();
        assertThat(buffer.limit()).isEqualTo(40);
    }

    @Test
    void reusesReleasedBuffersThatAreLargeEnough() {
        DirectBufferPool pool = new DirectBufferPool(1);
        ByteBuffer first = pool.acquire(100);
        pool.release(first);

        ByteBuffer second = pool.acquire(50);

        assertThat(second).isSameAs(first);
        assertThat(second.limit()).isEqualTo(200);
        pool.release(second);
        assertThat(pool.acquire(101)).isNotSameAs(first);
    }

    @Test
    void keepsAtMostMaxIdleBuffers() {
        DirectBufferPool pool = new DirectBufferPool(1);
        ByteBuffer a = pool.acquire(8);
        ByteBuffer b = pool.acquire(8);
        pool.release(a);
        pool.release(b);

        assertThat(pool.acquire(8)).isSameAs(a);
        assertThat(pool.acquire(8)).isNotSameAs(b).isNotSameAs(a);
    }

    @Test
    void rejectsImpossibleSizes() {
        DirectBufferPool pool = new DirectBufferPool(0);

        assertThatThrownBy(() -> pool.acquire(1L << 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot hold 1073741824 floats in one direct buffer");
        assertThatThrownBy(() -> new DirectBufferPool(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxIdle must be >= 0, found -1");
    }
}
