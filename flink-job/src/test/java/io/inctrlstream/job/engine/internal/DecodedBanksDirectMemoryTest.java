package io.inctrlstream.job.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.RecordingMetricGroup;
import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.TinyBundle;
import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.engine.EngineInferenceBackend;
import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.model.ShotBankCodec;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Direct memory of decoded banks with more lines than the cache holds (the scale test's case: 40
 * lines per subtask, a cache of 8, frames of the lines interleaved): every frame misses, decodes
 * its line's bank into a new direct buffer and evicts another line's, whose direct memory is then
 * freed only when a garbage collection happened to run: 200 misses of a 1.4 MB bank (16 tiny-model
 * shots) left about 280 MB of direct buffers where the cache accounted for 11 MB (the official
 * model: 38 MB per 16-shot bank, so a TaskManager's direct memory limit was reached within a few
 * frames). The cache's budget must bound the direct memory of decoded banks.
 */
class DecodedBanksDirectMemoryTest {
    private static final int CAPACITY = 8;
    private static final int LINES = 40;
    private static final int ROUNDS = 5;

    @Test
    void evictedBanksDoNotKeepTheirDirectMemory() throws Exception {
        byte[] bankBytes;
        try (EngineInferenceBackend backend =
                EngineInferenceBackend.open(
                        EngineBackendSettings.builder(TinyBundle.DIRECTORY.toString()).build(),
                        new RecordingMetricGroup())) {
            List<ImagePayload> shots = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                shots.add(
                        new ImagePayload(
                                ImageEncoding.PNG, 64, 64, TestImages.png(64, 64, 10 * i, false)));
            }
            bankBytes = backend.buildBank(new BankBuildRequest("line", null, shots, null)).bytes();
        }
        long decodedBytes = ShotBankCodec.decode(bankBytes).sizeBytes();
        DecodedBanks banks = new DecodedBanks(CAPACITY * decodedBytes);
        System.gc(); // start from no garbage direct buffers
        long before = directMemoryUsed();

        for (int round = 0; round < ROUNDS; round++) {
            for (int line = 0; line < LINES; line++) {
                try (DecodedBanks.Lease lease =
                        banks.lease(new ShotBankRef("line-" + line, 1, bankBytes))) {
                    lease.bank();
                }
            }
        }

        long grown = directMemoryUsed() - before;
        assertThat(grown)
                .as(
                        "direct memory after %d decodes of a %d-byte bank with a cache of %d banks",
                        ROUNDS * LINES, decodedBytes, CAPACITY)
                .isLessThanOrEqualTo(2L * CAPACITY * decodedBytes);
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }
}
