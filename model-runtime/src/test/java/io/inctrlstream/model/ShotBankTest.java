package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class ShotBankTest {
    @Test
    void contentHashDependsOnModelCategoryAndData() {
        ShotBank bank = RandomShotBanks.create(1, "m@1", "candle", 2, 8, 4);

        assertThat(bank.contentHash()).matches("[0-9a-f]{64}");
        assertThat(RandomShotBanks.create(1, "m@1", "candle", 2, 8, 4).contentHash())
                .isEqualTo(bank.contentHash());
        assertThat(RandomShotBanks.create(1, "m@2", "candle", 2, 8, 4).contentHash())
                .isNotEqualTo(bank.contentHash());
        assertThat(RandomShotBanks.create(1, "m@1", "capsule", 2, 8, 4).contentHash())
                .isNotEqualTo(bank.contentHash());
        assertThat(RandomShotBanks.create(2, "m@1", "candle", 2, 8, 4).contentHash())
                .isNotEqualTo(bank.contentHash());
    }

    @Test
    void sizeCountsBankMeanAndPrototypes() {
        ShotBank bank = RandomShotBanks.create(1, "m@1", "candle", 2, 8, 4);

        long bankFloats = (long) bank.taps() * bank.width() * bank.shotPatches();
        assertThat(bank.sizeBytes()).isEqualTo((bankFloats + 3L * bank.embedDim()) * Float.BYTES);
        assertThat(bank.shotPatches()).isEqualTo(2 * bank.patches());
    }

    @Test
    void bankViewIsReadOnlyAndDirect() {
        ShotBank bank = RandomShotBanks.create(1, "m@1", "candle", 2, 8, 4);
        FloatBuffer view = bank.bank();

        assertThat(view.isDirect()).isTrue();
        assertThat(view.isReadOnly()).isTrue();
        assertThatThrownBy(() -> view.put(0, 1f))
                .isInstanceOf(java.nio.ReadOnlyBufferException.class);
    }

    @Test
    void accessorsReturnCopies() {
        ShotBank bank = RandomShotBanks.create(1, "m@1", "candle", 2, 8, 4);
        float[] mean = bank.shotAdaptedMean();
        mean[0] += 1;

        assertThat(bank.shotAdaptedMean()[0]).isNotEqualTo(mean[0]);
    }

    @Test
    void closeFreesTheDirectMemoryAndLaterReadsFailClearly() {
        ShotBank bank = RandomShotBanks.create(1, "m@1", "candle", 4, 64, 256);
        String hash = bank.contentHash();
        long before = directMemoryUsed();

        bank.close();
        bank.close(); // idempotent

        assertThat(bank.isClosed()).isTrue();
        if (io.inctrlstream.model.internal.DirectMemory.canFree()) {
            assertThat(before - directMemoryUsed())
                    .as("direct memory freed at close")
                    .isGreaterThanOrEqualTo(bank.sizeBytes());
        }
        assertThat(bank.contentHash()).as("known before close").isEqualTo(hash);
        assertThat(bank.sizeBytes()).isPositive();
        assertThatThrownBy(bank::bank)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the shot bank " + bank + " is closed");
        assertThatThrownBy(bank::shotAdaptedMean)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("is closed");
    }

    private static long directMemoryUsed() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(
                        java.lang.management.BufferPoolMXBean.class)
                .stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
    }
}
