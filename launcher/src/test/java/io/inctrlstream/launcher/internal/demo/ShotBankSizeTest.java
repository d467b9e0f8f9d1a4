package io.inctrlstream.launcher.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.launcher.internal.BundleLocator;
import io.inctrlstream.launcher.internal.OfflineScorer;
import io.inctrlstream.model.BankPrecision;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.ShotBankCodec;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.ImageEncoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The keyed state of one line is its serialized shot bank: measured here with the real codec on the
 * tiny bundle for K = 1..16 shots, and checked against the codec's layout, which then gives the
 * official model's sizes from its dimensions (ViT-B-16-plus-240: 3 taps, width 896, 225 patches,
 * embedding 640). Writes the table of docs/inspection-job.md to target/state-size-per-line.md.
 */
class ShotBankSizeTest {
    private static final int[] SHOTS = {1, 2, 4, 8, 16};

    /** The codec's layout (ShotBankCodec, format version 1) for a bank of these dimensions. */
    private static long layoutBytes(
            String modelId,
            String category,
            int taps,
            int width,
            int patches,
            int embed,
            int shots,
            BankPrecision precision) {
        long header =
                8
                        + 2
                        + modelId.getBytes(StandardCharsets.UTF_8).length
                        + 2
                        + category.getBytes(StandardCharsets.UTF_8).length
                        + 5 * 4;
        long values = (long) taps * width * patches * shots;
        return header + values * (precision == BankPrecision.FP16 ? 2 : 4) + 3L * embed * 4 + 32;
    }

    @Test
    void aLinesStateIsItsBankAndGrowsLinearlyWithItsShots() throws Exception {
        DemoLine line = DemoLine.create(0, 42);
        List<String> table = new ArrayList<>();
        table.add("| shots K | tiny FP32 | tiny FP16 | official FP32 | official FP16 |");
        table.add("|---|---|---|---|---|");
        try (OfflineScorer scorer = OfflineScorer.open(BundleLocator.tinyBundle(), Device.CPU)) {
            List<DecodedImage> all = new ArrayList<>();
            for (byte[] png : line.shots(16)) {
                all.add(scorer.decode(ImageEncoding.PNG, png));
            }
            for (int k : SHOTS) {
                ShotBank bank = scorer.bank(all.subList(0, k), line.category());
                assertThat(bank.shotCount()).isEqualTo(k);
                long fp32 = ShotBankCodec.encode(bank, BankPrecision.FP32).length;
                long fp16 = ShotBankCodec.encode(bank, BankPrecision.FP16).length;
                String id = bank.modelId();
                String category = bank.category();
                assertThat(fp32)
                        .as("K=%d FP32", k)
                        .isEqualTo(
                                layoutBytes(id, category, 3, 32, 225, 32, k, BankPrecision.FP32));
                assertThat(fp16)
                        .as("K=%d FP16", k)
                        .isEqualTo(
                                layoutBytes(id, category, 3, 32, 225, 32, k, BankPrecision.FP16));
                table.add(
                        String.format(
                                Locale.ROOT,
                                "| %d | %s | %s | %s | %s |",
                                k,
                                kb(fp32),
                                kb(fp16),
                                mb(
                                        layoutBytes(
                                                id,
                                                category,
                                                3,
                                                896,
                                                225,
                                                640,
                                                k,
                                                BankPrecision.FP32)),
                                mb(
                                        layoutBytes(
                                                id,
                                                category,
                                                3,
                                                896,
                                                225,
                                                640,
                                                k,
                                                BankPrecision.FP16))));
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/state-size-per-line.md"), table, StandardCharsets.UTF_8);
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
}
