package io.inctrlstream.job.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.TinyBundle;
import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.engine.EngineInferenceBackend;
import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.ShotBankCodec;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The decoded banks kept ready are bounded by their direct memory, least recently used out. */
class DecodedBanksTest {
    private static byte[] oneShot;
    private static byte[] twoShots;
    private static long oneShotBytes;

    @BeforeAll
    static void buildBanks() throws Exception {
        ImagePayload a =
                new ImagePayload(ImageEncoding.PNG, 64, 64, TestImages.png(64, 64, 40, false));
        ImagePayload b =
                new ImagePayload(ImageEncoding.PNG, 64, 64, TestImages.png(64, 64, 60, false));
        try (EngineInferenceBackend backend =
                EngineInferenceBackend.open(
                        EngineBackendSettings.builder(TinyBundle.DIRECTORY.toString()).build(),
                        null)) {
            oneShot = backend.buildBank(new BankBuildRequest("l", null, List.of(a), null)).bytes();
            twoShots =
                    backend.buildBank(new BankBuildRequest("l", null, List.of(a, b), null)).bytes();
        }
        oneShotBytes = ShotBankCodec.decode(oneShot).sizeBytes();
    }

    @Test
    void keepsBanksUpToItsBudgetOfDirectMemory() throws Exception {
        DecodedBanks banks = new DecodedBanks(2 * oneShotBytes + oneShotBytes / 2);
        ShotBank first = banks.get(new ShotBankRef("line-1", 1, oneShot));
        banks.get(new ShotBankRef("line-2", 1, oneShot));
        assertThat(banks.get(new ShotBankRef("line-1", 1, oneShot)))
                .as("kept, not decoded again")
                .isSameAs(first);
        banks.get(new ShotBankRef("line-3", 1, oneShot)); // evicts line-2, used least recently

        assertThat(banks.lines()).isEqualTo(2);
        assertThat(banks.bytes()).isEqualTo(2 * oneShotBytes);
        assertThat(banks.get(new ShotBankRef("line-1", 1, oneShot))).isSameAs(first);
    }

    @Test
    void aBankLargerThanTheBudgetIsDecodedButNotKept() throws Exception {
        DecodedBanks banks = new DecodedBanks(oneShotBytes);
        ShotBank large = banks.get(new ShotBankRef("line-1", 1, twoShots));

        assertThat(large.shotCount()).isEqualTo(2);
        assertThat(banks.lines()).isZero();
        assertThat(banks.bytes()).isZero();
        assertThat(banks.get(new ShotBankRef("line-1", 1, twoShots))).isNotSameAs(large);
    }

    @Test
    void aNewShotsVersionReplacesTheLinesBank() throws Exception {
        DecodedBanks banks = new DecodedBanks(10 * oneShotBytes);
        banks.get(new ShotBankRef("line-1", 1, oneShot));
        ShotBank replaced = banks.get(new ShotBankRef("line-1", 2, twoShots));

        assertThat(replaced.shotCount()).isEqualTo(2);
        assertThat(banks.lines()).isEqualTo(1);
        assertThat(banks.bytes()).isEqualTo(replaced.sizeBytes());
    }
}
