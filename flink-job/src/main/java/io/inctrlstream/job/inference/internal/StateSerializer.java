package io.inctrlstream.job.inference.internal;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the explicit serializers of the operator's keyed state: the values are immutable, so
 * copies are the values themselves; the format is the subclass's, and its {@link #formatVersion()}
 * goes into the state's serializer snapshot, so that a later format can still read (and migrate)
 * state written by this one. The public records held in state do not use Flink's record serializer,
 * whose format follows their fields.
 *
 * @param <T> the state type
 */
public abstract class StateSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    /** The format this serializer writes (and reads); snapshots record it. */
    protected abstract int formatVersion();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    /**
     * The snapshot of a {@link StateSerializer}: its format version, nothing else. State written in
     * the current format is compatible as is; in an older one, it is migrated (read with the
     * restored serializer of that version, which a new format must then still provide); a newer or
     * unknown one is refused.
     *
     * @param <T> the state type
     */
    public abstract static class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private final StateSerializer<T> current;
        private int readVersion;

        protected Snapshot(StateSerializer<T> current) {
            this.current = current;
            this.readVersion = current.formatVersion();
        }

        @Override
        public int getCurrentVersion() {
            return current.formatVersion();
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (version < 1 || version > current.formatVersion()) {
                throw new IOException(
                        "state of "
                                + getClass().getSimpleName()
                                + " format version "
                                + version
                                + " cannot be read by this version of the job, which reads"
                                + " versions 1 to "
                                + current.formatVersion());
            }
            readVersion = version;
        }

        /** The format version of the state this snapshot describes. */
        int readVersion() {
            return readVersion;
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return current;
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> oldSnapshot) {
            if (oldSnapshot == null || oldSnapshot.getClass() != getClass()) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            int oldVersion = ((Snapshot<T>) oldSnapshot).readVersion();
            if (oldVersion == current.formatVersion()) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return oldVersion < current.formatVersion()
                    ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
