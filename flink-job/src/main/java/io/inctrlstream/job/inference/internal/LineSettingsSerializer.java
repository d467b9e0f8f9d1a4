package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.AlertPolicy;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Serializer of a line's {@link LineSettings} (keyed state {@code line-settings}). Format 1: double
 * threshold, category (Flink string, null allowed), alert policy (presence flag, int k, int n, long
 * cooldown ms), long shots version, int shot count.
 */
public final class LineSettingsSerializer extends StateSerializer<LineSettings> {
    private static final long serialVersionUID = 1L;

    static final LineSettingsSerializer INSTANCE = new LineSettingsSerializer();

    @Override
    protected int formatVersion() {
        return 1;
    }

    @Override
    public LineSettings createInstance() {
        return LineSettings.initial(0.5);
    }

    @Override
    public void serialize(LineSettings settings, DataOutputView out) throws IOException {
        out.writeDouble(settings.threshold());
        StringValue.writeString(settings.category(), out);
        writePolicy(settings.alertPolicy(), out);
        out.writeLong(settings.shotsVersion());
        out.writeInt(settings.shotCount());
    }

    @Override
    public LineSettings deserialize(DataInputView in) throws IOException {
        return new LineSettings(
                in.readDouble(),
                StringValue.readString(in),
                readPolicy(in),
                in.readLong(),
                in.readInt());
    }

    /** Writes a nullable alert policy: a presence flag, then k, n and the cooldown. */
    static void writePolicy(AlertPolicy policy, DataOutputView out) throws IOException {
        out.writeBoolean(policy != null);
        if (policy != null) {
            out.writeInt(policy.anomalousFrames());
            out.writeInt(policy.windowFrames());
            out.writeLong(policy.cooldownMillis());
        }
    }

    /** Reads what {@link #writePolicy} wrote. */
    static AlertPolicy readPolicy(DataInputView in) throws IOException {
        return in.readBoolean() ? new AlertPolicy(in.readInt(), in.readInt(), in.readLong()) : null;
    }

    @Override
    public TypeSerializerSnapshot<LineSettings> snapshotConfiguration() {
        return new LineSettingsSerializerSnapshot();
    }

    /** The snapshot of {@link LineSettingsSerializer}: its format version. */
    public static final class LineSettingsSerializerSnapshot extends Snapshot<LineSettings> {
        public LineSettingsSerializerSnapshot() {
            super(INSTANCE);
        }
    }
}
