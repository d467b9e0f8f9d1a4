package io.inctrlstream.model;

import io.inctrlstream.model.internal.Half;
import io.inctrlstream.model.internal.Sha256;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Serializes shot banks into a compact, versioned, self-checking binary form, for keyed state and
 * for shipping banks between processes.
 *
 * <p>Format version 1, little-endian throughout:
 *
 * <pre>
 * magic "ICSB" | u16 format version | u8 precision (0 fp32, 1 fp16) | u8 0
 * u16 length + UTF-8 model id | u16 length + UTF-8 category
 * i32 taps | i32 width | i32 patches | i32 embed dim | i32 shot count
 * bank (taps*width*K*N values) in the precision
 * a_s, F_n, F_a (E fp32 values each)
 * SHA-256 (32 bytes) of everything before it
 * </pre>
 *
 * FP16 stores the bank as IEEE half (round to nearest even), halving the payload; it decodes back
 * to fp32. a_s and the prototypes always stay fp32: together they are a few kilobytes, while a_s
 * feeds the image-level head directly, so its rounding error is not averaged away (in one seeded
 * calibration of the tiny model, a_s in fp16 moved s_i by up to 4e-3, while the whole bank in fp16
 * moved no score component by more than 1.3e-4).
 */
public final class ShotBankCodec {
    /** The format version this codec writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = {'I', 'C', 'S', 'B'};
    private static final int FIXED_HEADER_BYTES = MAGIC.length + 2 + 1 + 1;
    private static final int DIMENSION_COUNT = 5;
    private static final int HASH_BYTES = 32;
    private static final int MAX_STRING_BYTES = 0xffff;

    private ShotBankCodec() {}

    /** The bank in the given precision. */
    public static byte[] encode(ShotBank bank, BankPrecision precision) {
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(precision, "precision");
        byte[] modelId = utf8(bank.modelId(), "model id");
        byte[] category = utf8(bank.category(), "category");
        long bankValues = (long) bank.taps() * bank.width() * bank.shotPatches();
        int embed = bank.embedDim();
        int valueBytes = precision == BankPrecision.FP16 ? 2 : 4;
        long total =
                headerBytes(modelId.length, category.length)
                        + bankValues * valueBytes
                        + 3L * embed * Float.BYTES
                        + HASH_BYTES;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(
                    "shot bank too large to serialize into one array: " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        out.putShort((short) FORMAT_VERSION);
        out.put((byte) precision.ordinal());
        out.put((byte) 0);
        out.putShort((short) modelId.length).put(modelId);
        out.putShort((short) category.length).put(category);
        out.putInt(bank.taps())
                .putInt(bank.width())
                .putInt(bank.patches())
                .putInt(embed)
                .putInt(bank.shotCount());
        putValues(out, bank.bank(), precision);
        putValues(out, bank.shotAdaptedMeanDirect(), BankPrecision.FP32);
        putValues(out, bank.prototypesDirect(), BankPrecision.FP32);
        MessageDigest digest = Sha256.newDigest();
        digest.update(out.array(), 0, out.position());
        out.put(digest.digest());
        return out.array();
    }

    /**
     * The most bytes {@link #encode} writes for a bank of {@code shots} shots of the bundle's model
     * in {@code precision}, whatever its category: for sizing what carries banks (the compacted
     * line-state topic, producer request sizes).
     *
     * @throws IllegalArgumentException if {@code shots} is not positive
     */
    public static long maxEncodedSize(BundleManifest manifest, int shots, BankPrecision precision) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(precision, "precision");
        if (shots < 1) {
            throw new IllegalArgumentException("shots must be positive, found " + shots);
        }
        BundleManifest.Vision vision = manifest.vision();
        long bankValues =
                (long) vision.tapLayers().size() * vision.width() * vision.patches() * shots;
        int valueBytes = precision == BankPrecision.FP16 ? 2 : 4;
        return headerBytes(utf8(manifest.modelId(), "model id").length, MAX_STRING_BYTES)
                + bankValues * valueBytes
                + 3L * vision.embedDim() * Float.BYTES
                + HASH_BYTES;
    }

    /**
     * Reads a bank written by {@link #encode}.
     *
     * @throws ModelException SHOT_BANK_CORRUPT, saying what is wrong, if the data is not a shot
     *     bank, is of an unknown format version or precision, is truncated or too long, or fails
     *     its SHA-256
     */
    public static ShotBank decode(byte[] data) throws ModelException {
        Objects.requireNonNull(data, "data");
        if (data.length < FIXED_HEADER_BYTES) {
            throw corrupt(
                    "shot bank is truncated: "
                            + data.length
                            + " bytes, the fixed header alone needs "
                            + FIXED_HEADER_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw corrupt(
                    "not a serialized shot bank: magic "
                            + Sha256.hex(magic)
                            + ", expected "
                            + Sha256.hex(MAGIC)
                            + " (\"ICSB\")");
        }
        int version = Short.toUnsignedInt(in.getShort());
        if (version != FORMAT_VERSION) {
            throw corrupt(
                    "shot bank format version "
                            + version
                            + " is not supported (supported: "
                            + FORMAT_VERSION
                            + ")");
        }
        int precisionCode = Byte.toUnsignedInt(in.get());
        if (precisionCode >= BankPrecision.values().length) {
            throw corrupt(
                    "shot bank precision code "
                            + precisionCode
                            + " is unknown (0 = FP32, 1 = FP16)");
        }
        BankPrecision precision = BankPrecision.values()[precisionCode];
        in.get();
        String modelId;
        String category;
        int[] dims = new int[DIMENSION_COUNT];
        try {
            modelId = string(in, "model id");
            category = string(in, "category");
            for (int i = 0; i < DIMENSION_COUNT; i++) {
                dims[i] = in.getInt();
            }
        } catch (BufferUnderflowException e) {
            throw corrupt(
                    "shot bank is truncated: " + data.length + " bytes end inside the header");
        }
        String[] dimNames = {"taps", "width", "patches", "embed dim", "shot count"};
        for (int i = 0; i < DIMENSION_COUNT; i++) {
            if (dims[i] <= 0) {
                throw corrupt(
                        "shot bank dimension "
                                + dimNames[i]
                                + " must be positive, found "
                                + dims[i]);
            }
        }
        int taps = dims[0];
        int width = dims[1];
        int patches = dims[2];
        int embed = dims[3];
        int shots = dims[4];
        long bankValues = (long) taps * width * patches * shots;
        if (bankValues * Float.BYTES > Integer.MAX_VALUE
                || (long) patches * shots > Integer.MAX_VALUE) {
            throw corrupt(
                    "shot bank dimensions "
                            + Arrays.toString(dims)
                            + " describe more values than fit in memory");
        }
        int valueBytes = precision == BankPrecision.FP16 ? 2 : 4;
        long expected =
                in.position() + bankValues * valueBytes + 3L * embed * Float.BYTES + HASH_BYTES;
        if (data.length < expected) {
            throw corrupt(
                    "shot bank is truncated: its header announces "
                            + expected
                            + " bytes, found "
                            + data.length);
        }
        if (data.length > expected) {
            throw corrupt(
                    "shot bank has "
                            + (data.length - expected)
                            + " bytes after its end (expected "
                            + expected
                            + " bytes, found "
                            + data.length
                            + ")");
        }
        MessageDigest digest = Sha256.newDigest();
        digest.update(data, 0, data.length - HASH_BYTES);
        byte[] actualHash = digest.digest();
        byte[] storedHash = Arrays.copyOfRange(data, data.length - HASH_BYTES, data.length);
        if (!MessageDigest.isEqual(actualHash, storedHash)) {
            throw corrupt(
                    "shot bank fails its sha256: stored "
                            + Sha256.hex(storedHash)
                            + ", content hashes to "
                            + Sha256.hex(actualHash));
        }
        ByteBuffer bank =
                ByteBuffer.allocateDirect((int) (bankValues * Float.BYTES))
                        .order(ByteOrder.nativeOrder());
        getValues(in, bank.asFloatBuffer(), precision);
        float[] shotAdaptedMean = new float[embed];
        getValues(in, FloatBuffer.wrap(shotAdaptedMean), BankPrecision.FP32);
        float[] normal = new float[embed];
        float[] anomalous = new float[embed];
        getValues(in, FloatBuffer.wrap(normal), BankPrecision.FP32);
        getValues(in, FloatBuffer.wrap(anomalous), BankPrecision.FP32);
        try {
            return ShotBank.create(
                    modelId,
                    category,
                    shots,
                    taps,
                    width,
                    patches,
                    bank,
                    shotAdaptedMean,
                    TextPrototypes.of(category, normal, anomalous));
        } catch (IllegalArgumentException e) {
            throw new ModelException(
                    ModelException.Reason.SHOT_BANK_CORRUPT,
                    "shot bank content is inconsistent: " + e.getMessage(),
                    e);
        }
    }

    private static long headerBytes(int modelIdBytes, int categoryBytes) {
        return FIXED_HEADER_BYTES
                + 2L
                + modelIdBytes
                + 2L
                + categoryBytes
                + (long) DIMENSION_COUNT * Integer.BYTES;
    }

    private static byte[] utf8(String value, String what) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(
                    what + " is longer than " + MAX_STRING_BYTES + " UTF-8 bytes: " + bytes.length);
        }
        return bytes;
    }

    private static String string(ByteBuffer in, String what) throws ModelException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        try {
            String value =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
            if (value.isBlank()) {
                throw corrupt("shot bank " + what + " is blank");
            }
            return value;
        } catch (CharacterCodingException e) {
            throw corrupt("shot bank " + what + " is not valid UTF-8");
        }
    }

    private static void putValues(ByteBuffer out, FloatBuffer values, BankPrecision precision) {
        FloatBuffer source = values.duplicate();
        if (precision == BankPrecision.FP16) {
            while (source.hasRemaining()) {
                out.putShort(Half.fromFloat(source.get()));
            }
        } else {
            out.asFloatBuffer().put(source);
            out.position(out.position() + values.remaining() * Float.BYTES);
        }
    }

    private static void getValues(ByteBuffer in, FloatBuffer target, BankPrecision precision) {
        int count = target.remaining();
        if (precision == BankPrecision.FP16) {
            for (int i = 0; i < count; i++) {
                target.put(Half.toFloat(in.getShort()));
            }
        } else {
            FloatBuffer source = in.asFloatBuffer();
            source.limit(count);
            target.put(source);
            in.position(in.position() + count * Float.BYTES);
        }
    }

    private static ModelException corrupt(String message) {
        return new ModelException(ModelException.Reason.SHOT_BANK_CORRUPT, message);
    }
}
