package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.model.internal.Half;
import io.inctrlstream.model.internal.Sha256;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShotBankCodecTest {
    private final ShotBank bank =
            RandomShotBanks.create(7, "inctrl-tiny@1", "pipe_fryum", 3, 16, 8);

    @Test
    void fp32RoundTripIsExact() throws ModelException {
        ShotBank decoded = ShotBankCodec.decode(ShotBankCodec.encode(bank, BankPrecision.FP32));

        assertThat(decoded.modelId()).isEqualTo("inctrl-tiny@1");
        assertThat(decoded.category()).isEqualTo("pipe_fryum");
        assertThat(decoded.shotCount()).isEqualTo(3);
        assertThat(decoded.taps()).isEqualTo(bank.taps());
        assertThat(decoded.width()).isEqualTo(16);
        assertThat(decoded.patches()).isEqualTo(bank.patches());
        assertThat(decoded.embedDim()).isEqualTo(8);
        assertThat(floats(decoded.bank())).isEqualTo(floats(bank.bank()));
        assertThat(decoded.shotAdaptedMean()).isEqualTo(bank.shotAdaptedMean());
        assertThat(decoded.prototypes()).isEqualTo(bank.prototypes());
        assertThat(decoded.contentHash()).isEqualTo(bank.contentHash());
        assertThat(decoded).isEqualTo(bank);
    }

    @Test
    void fp16HalvesTheBankAndKeepsTheSmallPartsExact() throws ModelException {
        byte[] fp32 = ShotBankCodec.encode(bank, BankPrecision.FP32);
        byte[] fp16 = ShotBankCodec.encode(bank, BankPrecision.FP16);
        ShotBank decoded = ShotBankCodec.decode(fp16);

        long bankValues = (long) bank.taps() * bank.width() * bank.shotPatches();
        assertThat(fp32.length - fp16.length).isEqualTo(bankValues * 2);
        float[] expectedBank = floats(bank.bank());
        for (int i = 0; i < expectedBank.length; i++) {
            expectedBank[i] = Half.toFloat(Half.fromFloat(expectedBank[i]));
        }
        assertThat(floats(decoded.bank())).isEqualTo(expectedBank);
        assertThat(decoded.shotAdaptedMean())
                .as("a_s stays fp32")
                .isEqualTo(bank.shotAdaptedMean());
        assertThat(decoded.prototypes()).as("prototypes stay fp32").isEqualTo(bank.prototypes());
        assertThat(decoded.contentHash()).isNotEqualTo(bank.contentHash());
        assertThat(ShotBankCodec.encode(decoded, BankPrecision.FP16))
                .as("fp16 re-encoding of an fp16 bank is stable")
                .isEqualTo(fp16);
    }

    @Test
    void encodingIsDeterministic() {
        assertThat(ShotBankCodec.encode(bank, BankPrecision.FP32))
                .isEqualTo(ShotBankCodec.encode(bank, BankPrecision.FP32));
    }

    @Test
    void truncatedDataIsCorrupt() {
        byte[] data = ShotBankCodec.encode(bank, BankPrecision.FP32);

        assertCorrupt(
                new byte[0], "shot bank is truncated: 0 bytes, the fixed header alone needs 8");
        assertCorrupt(
                Arrays.copyOf(data, 20), "shot bank is truncated: 20 bytes end inside the header");
        assertCorrupt(
                Arrays.copyOf(data, data.length - 1),
                "shot bank is truncated: its header announces "
                        + data.length
                        + " bytes, found "
                        + (data.length - 1));
        assertCorrupt(
                Arrays.copyOf(data, data.length + 3),
                "shot bank has 3 bytes after its end (expected "
                        + data.length
                        + " bytes, found "
                        + (data.length + 3)
                        + ")");
    }

    @Test
    void changedPayloadByteFailsTheHash() {
        byte[] data = ShotBankCodec.encode(bank, BankPrecision.FP16);
        byte[] stored = Arrays.copyOfRange(data, data.length - 32, data.length);
        data[data.length / 2] ^= 0x10;
        MessageDigest digest = Sha256.newDigest();
        digest.update(data, 0, data.length - 32);

        assertCorrupt(
                data,
                "shot bank fails its sha256: stored "
                        + Sha256.hex(stored)
                        + ", content hashes to "
                        + Sha256.hex(digest.digest()));
    }

    @Test
    void wrongMagicVersionOrPrecisionIsCorrupt() {
        byte[] data = ShotBankCodec.encode(bank, BankPrecision.FP32);

        byte[] magic = data.clone();
        magic[0] = 'X';
        assertCorrupt(
                magic, "not a serialized shot bank: magic 58435342, expected 49435342 (\"ICSB\")");

        byte[] version = data.clone();
        version[4] = 2;
        assertCorrupt(version, "shot bank format version 2 is not supported (supported: 1)");

        byte[] precision = data.clone();
        precision[6] = 9;
        assertCorrupt(precision, "shot bank precision code 9 is unknown (0 = FP32, 1 = FP16)");
    }

    @Test
    void nonPositiveDimensionIsCorrupt() {
        byte[] data = ShotBankCodec.encode(bank, BankPrecision.FP32);
        ByteBuffer view = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int dimsOffset = 8 + 2 + "inctrl-tiny@1".length() + 2 + "pipe_fryum".length();
        view.putInt(dimsOffset + 4, 0);

        assertCorrupt(data, "shot bank dimension width must be positive, found 0");
    }

    private static void assertCorrupt(byte[] data, String message) {
        assertThatThrownBy(() -> ShotBankCodec.decode(data))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(ModelException.Reason.SHOT_BANK_CORRUPT))
                .hasMessage(message);
    }

    private static float[] floats(FloatBuffer buffer) {
        FloatBuffer copy = buffer.duplicate();
        float[] values = new float[copy.remaining()];
        copy.get(values);
        return values;
    }

    @Test
    void maxEncodedSizeIsWhatABankOfTheModelWithTheLongestCategoryTakes() throws ModelException {
        BundleManifest manifest = TinyBundle.load().manifest();
        BundleManifest.Vision vision = manifest.vision();
        int shots = 3;
        int taps = vision.tapLayers().size();
        ShotBank longest = bankOfModel(manifest, "c".repeat(0xffff), shots);
        ShotBank usual = bankOfModel(manifest, "pcb", shots);
        for (BankPrecision precision : BankPrecision.values()) {
            long max = ShotBankCodec.maxEncodedSize(manifest, shots, precision);
            assertThat(ShotBankCodec.encode(longest, precision)).hasSize((int) max);
            assertThat(ShotBankCodec.encode(usual, precision).length).isLessThan((int) max);
        }
        long perShot = (long) taps * vision.width() * vision.patches() * Float.BYTES;
        assertThat(
                        ShotBankCodec.maxEncodedSize(manifest, shots + 1, BankPrecision.FP32)
                                - ShotBankCodec.maxEncodedSize(manifest, shots, BankPrecision.FP32))
                .isEqualTo(perShot);
        assertThatThrownBy(() -> ShotBankCodec.maxEncodedSize(manifest, 0, BankPrecision.FP32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shots must be positive, found 0");
    }

    private static ShotBank bankOfModel(BundleManifest manifest, String category, int shots) {
        BundleManifest.Vision vision = manifest.vision();
        int taps = vision.tapLayers().size();
        ByteBuffer values =
                ByteBuffer.allocateDirect(
                                taps * vision.width() * shots * vision.patches() * Float.BYTES)
                        .order(ByteOrder.nativeOrder());
        float[] vector = new float[vision.embedDim()];
        Arrays.fill(vector, 0.5f);
        return ShotBank.create(
                manifest.modelId(),
                category,
                shots,
                taps,
                vision.width(),
                vision.patches(),
                values,
                vector,
                TextPrototypes.of(category, vector, vector));
    }
}
