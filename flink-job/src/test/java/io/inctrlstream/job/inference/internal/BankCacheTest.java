package io.inctrlstream.job.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The heap cache of serialized banks is bounded by bytes, least recently used lines out. */
class BankCacheTest {
    @Test
    void holdsBanksUpToItsByteBudgetEvictingTheLeastRecentlyUsed() {
        BankCache cache = new BankCache(1_000);
        cache.put("a", 1, new byte[400]);
        cache.put("b", 1, new byte[400]);
        assertThat(cache.get("a", 1)).isNotNull(); // a is now the most recently used
        cache.put("c", 1, new byte[400]);

        assertThat(cache.bytes()).isEqualTo(800);
        assertThat(cache.lines()).isEqualTo(2);
        assertThat(cache.get("b", 1)).as("least recently used").isNull();
        assertThat(cache.get("a", 1)).isNotNull();
        assertThat(cache.get("c", 1)).isNotNull();
    }

    @Test
    void aBankLargerThanTheBudgetIsNotKeptAndReplacesTheLinesOlderVersion() {
        BankCache cache = new BankCache(1_000);
        cache.put("a", 1, new byte[300]);
        cache.put("a", 2, new byte[1_001]);

        assertThat(cache.get("a", 1)).isNull();
        assertThat(cache.get("a", 2)).isNull();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void aNewVersionReplacesTheOldOneAndRemovalFreesItsBytes() {
        BankCache cache = new BankCache(1_000);
        cache.put("a", 1, new byte[300]);
        cache.put("a", 2, new byte[500]);
        assertThat(cache.get("a", 1)).as("another version").isNull();
        assertThat(cache.get("a", 2)).hasSize(500);
        assertThat(cache.bytes()).isEqualTo(500);

        cache.remove("a");
        assertThat(cache.bytes()).isZero();
        assertThat(cache.get("a", 2)).isNull();
    }

    @Test
    void aZeroBudgetKeepsNothing() {
        BankCache cache = new BankCache(0);
        cache.put("a", 1, new byte[1]);
        assertThat(cache.get("a", 1)).isNull();
        assertThat(cache.lines()).isZero();
    }
}
