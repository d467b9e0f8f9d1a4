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
}
