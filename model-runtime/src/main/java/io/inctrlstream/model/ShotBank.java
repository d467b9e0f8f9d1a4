package io.inctrlstream.model;

import io.inctrlstream.model.internal.DirectMemory;
import io.inctrlstream.model.internal.Sha256;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything about a line's K normal shots that scoring needs and that depends only on the shots
 * and the category, computed once by {@link InctrlEngine#buildShotBank}: the patch bank (each shot
 * patch token L2-normalized per tapped layer, laid out [taps, width, K*N], column s = k*N + j), a_s
 * (the mean of the shots' adapted embeddings) and the category's text prototypes.
 *
 * <p>Immutable. The bank lives in a direct buffer in native byte order (as do a_s and the
 * prototypes) so that ONNX Runtime reads it without a copy; it counts towards the JVM's direct
 * memory. {@link #close()} frees that memory at once; a bank never closed is freed by the garbage
 * collector, which may run long after a cache dropped it. Close a bank only when no call uses it
 * any more: after close, reading it (scoring with it included) fails with an {@link
 * IllegalStateException}. Serialize with {@link ShotBankCodec}.
 */
public final class ShotBank implements AutoCloseable {
    private final String modelId;
    private final String category;
    private final int shotCount;
    private final int taps;
    private final int width;
    private final int patches;
    private final ByteBuffer bank;

    /** The direct buffer {@link #bank} views, owned by this bank: what {@link #close} frees. */
    private final ByteBuffer ownedBank;

    private final TextPrototypes prototypes;

    /**
     * [a_s, F_n, F_a] in native memory, so that scoring feeds them to the scorer without a copy;
     * the bank's only copy of a_s.
     */
    private final ByteBuffer scorerVectors;

    private volatile String contentHash;
    private volatile boolean closed;

    private ShotBank(
            String modelId,
            String category,
            int shotCount,
            int taps,
            int width,
            int patches,
            ByteBuffer ownedBank,
            float[] shotAdaptedMean,
            TextPrototypes prototypes) {
        this.modelId = modelId;
        this.category = category;
        this.shotCount = shotCount;
        this.taps = taps;
        this.width = width;
        this.patches = patches;
        this.ownedBank = ownedBank;
        this.bank = ownedBank.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.prototypes = prototypes;
        int embedDim = shotAdaptedMean.length;
        float[] vectors = Arrays.copyOf(shotAdaptedMean, 3 * embedDim);
        prototypes.copyInto(vectors, embedDim);
        this.scorerVectors =
                ByteBuffer.allocateDirect(vectors.length * Float.BYTES)
                        .order(ByteOrder.nativeOrder());
        scorerVectors.asFloatBuffer().put(vectors);
    }

    /**
     * Assembles a bank, taking ownership of {@code bank} (a direct buffer in native order holding
     * exactly taps*width*shotCount*patches floats); {@code shotAdaptedMean} is copied.
     */
    static ShotBank create(
            String modelId,
            String category,
            int shotCount,
            int taps,
            int width,
            int patches,
            ByteBuffer bank,
            float[] shotAdaptedMean,
            TextPrototypes prototypes) {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(shotAdaptedMean, "shotAdaptedMean");
        Objects.requireNonNull(prototypes, "prototypes");
        if (shotCount <= 0 || taps <= 0 || width <= 0 || patches <= 0) {
            throw new IllegalArgumentException(
                    "shotCount, taps, width and patches must be positive, found "
                            + shotCount
                            + ", "
                            + taps
                            + ", "
                            + width
                            + ", "
                            + patches);
        }
        long floats = (long) taps * width * shotCount * patches;
        if (!bank.isDirect()
                || bank.order() != ByteOrder.nativeOrder()
                || bank.position() != 0
                || bank.remaining() != floats * Float.BYTES) {
            throw new IllegalArgumentException(
                    "bank must be a direct native-order buffer of "
                            + floats * Float.BYTES
                            + " bytes, found "
                            + bank);
        }
        if (shotAdaptedMean.length != prototypes.embedDim()) {
            throw new IllegalArgumentException(
                    "shotAdaptedMean has "
                            + shotAdaptedMean.length
                            + " values but the prototypes have E = "
                            + prototypes.embedDim());
        }
        if (!prototypes.category().equals(category)) {
            throw new IllegalArgumentException(
                    "prototypes are for category '"
                            + prototypes.category()
                            + "', the bank for '"
                            + category
                            + "'");
        }
        return new ShotBank(
                modelId,
                category,
                shotCount,
                taps,
                width,
                patches,
                bank,
                shotAdaptedMean,
                prototypes);
    }

    /** The model id ({@code name@version}) of the engine that built the bank. */
    public String modelId() {
        return modelId;
    }

    public String category() {
        return category;
    }

    /** K, the number of shots. */
    public int shotCount() {
        return shotCount;
    }

    /** The number of tapped layers. */
    public int taps() {
        return taps;
    }

    /** W, the width of a patch token. */
    public int width() {
        return width;
    }

    /** N, the patch tokens per image. */
    public int patches() {
        return patches;
    }

    /** S = K*N, the bank's columns. */
    public int shotPatches() {
        return shotCount * patches;
    }

    /** E, the embedding dimension. */
    public int embedDim() {
        return prototypes.embedDim();
    }

    /** The patch bank, row-major [taps, width, K*N]: a read-only view, no copy. */
    public FloatBuffer bank() {
        return bankBytes().asFloatBuffer();
    }

    /** a_s, a copy. */
    public float[] shotAdaptedMean() {
        float[] mean = new float[embedDim()];
        shotAdaptedMeanDirect().get(mean);
        return mean;
    }

    public TextPrototypes prototypes() {
        return prototypes;
    }

    /** The bank's bytes in native order: a read-only view positioned at 0. */
    ByteBuffer bankBytes() {
        requireOpen();
        return bank.duplicate().order(ByteOrder.nativeOrder());
    }

    /** a_s, [E], as a read-only native-order view. */
    FloatBuffer shotAdaptedMeanDirect() {
        return scorerVectorView(0, embedDim());
    }

    /** [F_n, F_a], row-major [2, E], as a read-only native-order view. */
    FloatBuffer prototypesDirect() {
        return scorerVectorView(embedDim(), 2 * embedDim());
    }

    private FloatBuffer scorerVectorView(int offset, int length) {
        requireOpen();
        ByteBuffer bytes = scorerVectors.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        bytes.position(offset * Float.BYTES).limit((offset + length) * Float.BYTES);
        return bytes.slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * SHA-256 (lower-case hex) over the model id, the category, the dimensions and all the data
     * (bank, a_s, prototypes) as little-endian fp32: equal hashes mean equal scores.
     */
    public String contentHash() {
        String hash = contentHash;
        if (hash == null) {
            hash = computeContentHash();
            contentHash = hash;
        }
        return hash;
    }

    /**
     * Frees the bank's direct memory now; idempotent. The caller guarantees that no call reads the
     * bank any more (scoring with it included): a concurrent reader could see freed memory.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        DirectMemory.free(ownedBank);
        DirectMemory.free(scorerVectors);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the shot bank " + this + " is closed");
        }
    }

    /** The bytes the bank's numbers take in memory (bank, a_s and prototypes, fp32). */
    public long sizeBytes() {
        return (long) bank.capacity() + (long) Float.BYTES * 3 * embedDim();
    }

    private String computeContentHash() {
        MessageDigest digest = Sha256.newDigest();
        digest.update(modelId.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(category.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        ByteBuffer dims = ByteBuffer.allocate(5 * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        dims.putInt(taps).putInt(width).putInt(patches).putInt(embedDim()).putInt(shotCount);
        digest.update(dims.flip());
        updateLittleEndian(digest, bank());
        updateLittleEndian(digest, shotAdaptedMeanDirect());
        updateLittleEndian(digest, prototypesDirect());
        return Sha256.hex(digest.digest());
    }

    private static void updateLittleEndian(MessageDigest digest, FloatBuffer values) {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer chunkFloats = chunk.asFloatBuffer();
        FloatBuffer source = values.duplicate();
        while (source.hasRemaining()) {
            int count = Math.min(source.remaining(), chunkFloats.capacity());
            FloatBuffer slice = source.slice();
            slice.limit(count);
            chunkFloats.clear();
            chunkFloats.put(slice);
            source.position(source.position() + count);
            digest.update(chunk.array(), 0, count * Float.BYTES);
        }
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ShotBank)) {
            return false;
        }
        ShotBank that = (ShotBank) other;
        return shotCount == that.shotCount
                && modelId.equals(that.modelId)
                && category.equals(that.category)
                && contentHash().equals(that.contentHash());
    }

    @Override
    public int hashCode() {
        return contentHash().hashCode();
    }

    @Override
    public String toString() {
        return "ShotBank["
                + modelId
                + ", "
                + category
                + ", K="
                + shotCount
                + ", taps="
                + taps
                + ", W="
                + width
                + ", N="
                + patches
                + ", E="
                + embedDim()
                + "]";
    }
}
