package io.inctrlstream.job.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * The decoded banks kept ready are bounded by their direct memory, least recently used out, and a
 * bank dropped from the cache is closed as soon as no batch leases it.
 */
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
        ShotBank first = use(banks, "line-1", 1, oneShot);
        ShotBank second = use(banks, "line-2", 1, oneShot);
        assertThat(use(banks, "line-1", 1, oneShot)).as("kept, not decoded again").isSameAs(first);
        use(banks, "line-3", 1, oneShot); // evicts line-2, used least recently

        assertThat(banks.lines()).isEqualTo(2);
        assertThat(banks.bytes()).isEqualTo(2 * oneShotBytes);
        assertThat(use(banks, "line-1", 1, oneShot)).isSameAs(first);
        assertThat(second.isClosed()).as("the evicted bank's direct memory is freed").isTrue();
        assertThat(first.isClosed()).isFalse();
    }

    @Test
    void aBankLargerThanTheBudgetIsDecodedButNotKept() throws Exception {
        DecodedBanks banks = new DecodedBanks(oneShotBytes);
        ShotBank large;
        try (DecodedBanks.Lease lease = banks.lease(new ShotBankRef("line-1", 1, twoShots))) {
            large = lease.bank();
            assertThat(large.shotCount()).isEqualTo(2);
            assertThat(large.isClosed()).as("open while leased").isFalse();
        }

        assertThat(large.isClosed()).as("closed with its only lease").isTrue();
        assertThat(banks.lines()).isZero();
        assertThat(banks.bytes()).isZero();
        assertThat(use(banks, "line-1", 1, twoShots)).isNotSameAs(large);
    }

    @Test
    void aNewShotsVersionReplacesTheLinesBank() throws Exception {
        DecodedBanks banks = new DecodedBanks(10 * oneShotBytes);
        ShotBank old = use(banks, "line-1", 1, oneShot);
        ShotBank replaced = use(banks, "line-1", 2, twoShots);

        assertThat(replaced.shotCount()).isEqualTo(2);
        assertThat(banks.lines()).isEqualTo(1);
        assertThat(banks.bytes()).isEqualTo(replaced.sizeBytes());
        assertThat(old.isClosed()).isTrue();
    }

    @Test
    void anEvictedBankStaysOpenUntilItsLastLeaseCloses() throws Exception {
        DecodedBanks banks = new DecodedBanks(oneShotBytes);
        DecodedBanks.Lease first = banks.lease(new ShotBankRef("line-1", 1, oneShot));
        DecodedBanks.Lease again = banks.lease(new ShotBankRef("line-1", 1, oneShot));
        ShotBank bank = first.bank();
        use(banks, "line-2", 1, oneShot); // evicts line-1 while two batches still score with it

        assertThat(banks.lines()).isEqualTo(1);
        assertThat(banks.bytes()).isEqualTo(oneShotBytes);
        first.close();
        first.close(); // idempotent: does not release the other lease's hold
        assertThat(bank.isClosed()).as("still leased once").isFalse();
        assertThat(bank.bank().get(0)).isFinite();
        again.close();
        assertThat(bank.isClosed()).isTrue();
        assertThatThrownBy(first::bank)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lease")
                .hasMessageContaining("is closed");
    }

    @Test
    void closingTheCacheClosesUnleasedBanksAndLeasedOnesWithTheirLease() throws Exception {
        DecodedBanks banks = new DecodedBanks(10 * oneShotBytes);
        ShotBank idle = use(banks, "line-1", 1, oneShot);
        DecodedBanks.Lease lease = banks.lease(new ShotBankRef("line-2", 1, oneShot));

        banks.close();

        ShotBank leased = lease.bank();
        assertThat(idle.isClosed()).isTrue();
        assertThat(leased.isClosed()).isFalse();
        lease.close();
        assertThat(leased.isClosed()).isTrue();
        assertThatThrownBy(() -> banks.lease(new ShotBankRef("line-1", 1, oneShot)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the decoded bank cache is closed");
    }

    /** Leases the bank for one use and ends the lease, as a batch does. */
    private static ShotBank use(DecodedBanks banks, String line, long version, byte[] bytes)
            throws Exception {
        try (DecodedBanks.Lease lease = banks.lease(new ShotBankRef(line, version, bytes))) {
            return lease.bank();
        }
    }
}
