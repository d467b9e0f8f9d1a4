package io.inctrlstream.job.inference.internal;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of a line's encoded shot bank (keyed state {@code line-shot-bank}, megabytes per line
 * at official size). Format 1: int length, then the bytes, the same bytes Flink's byte-array
 * serializer wrote, so state written with that one (this job's first savepoints) is read as is.
 *
 * <p>A stored bank's array is never modified (a change of shots stores a new array), so a copy is
 * the array itself. That matters on the heap state backend: while a checkpoint is taken and after
 * it, the first read of each entry copies its value with the serializer (copy-on-write), and with
 * Flink's byte-array serializer every line's bank was duplicated on its first frame after each
 * checkpoint, humongous garbage and, while snapshots ran, copies held beside the snapshot's.
 */
public final class ShotBankBytesSerializer extends StateSerializer<byte[]> {
    private static final long serialVersionUID = 1L;

    static final ShotBankBytesSerializer INSTANCE = new ShotBankBytesSerializer();

    private static final byte[] EMPTY = new byte[0];

    @Override
    protected int formatVersion() {
        return 1;
    }

    @Override
    public byte[] createInstance() {
        return EMPTY;
    }

    @Override
    public void serialize(byte[] bank, DataOutputView out) throws IOException {
        out.writeInt(bank.length);
        out.write(bank);
    }

    @Override
    public byte[] deserialize(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException(
                    "corrupt shot bank state: a length of " + length + " bytes, expected >= 0");
        }
        byte[] bank = new byte[length];
        in.readFully(bank);
        return bank;
    }

    @Override
    public TypeSerializerSnapshot<byte[]> snapshotConfiguration() {
        return new ShotBankBytesSerializerSnapshot();
    }

    /**
     * The snapshot of {@link ShotBankBytesSerializer}: its format version. State written with
     * Flink's byte-array serializer has format 1's bytes and is compatible as is.
     */
    public static final class ShotBankBytesSerializerSnapshot extends Snapshot<byte[]> {
        public ShotBankBytesSerializerSnapshot() {
            super(INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<byte[]> resolveSchemaCompatibility(
                TypeSerializerSnapshot<byte[]> oldSnapshot) {
            if (oldSnapshot
                    instanceof BytePrimitiveArraySerializer.BytePrimitiveArraySerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}
