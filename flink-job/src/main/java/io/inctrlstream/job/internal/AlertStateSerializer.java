package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.internal.StateSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of a line's {@link AlertState} (keyed state {@code line-alert-window} of the alert
 * stage). Format 1: int flag count, the flags (one byte each, 1 anomalous), boolean alerted, long
 * capture time of the last alert.
 */
public final class AlertStateSerializer extends StateSerializer<AlertState> {
    private static final long serialVersionUID = 1L;

    static final AlertStateSerializer INSTANCE = new AlertStateSerializer();

    @Override
    protected int formatVersion() {
        return 1;
    }

    @Override
    public AlertState createInstance() {
        return AlertState.initial();
    }

    @Override
    public void serialize(AlertState state, DataOutputView out) throws IOException {
        out.writeInt(state.recent().length);
        out.write(state.recent());
        out.writeBoolean(state.alerted());
        out.writeLong(state.lastAlertCaptureMillis());
    }

    @Override
    public AlertState deserialize(DataInputView in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > io.inctrlstream.job.inference.AlertPolicy.MAX_WINDOW_FRAMES) {
            throw new IOException(
                    "corrupt alert state: "
                            + count
                            + " recent frames, expected 0 to "
                            + io.inctrlstream.job.inference.AlertPolicy.MAX_WINDOW_FRAMES);
        }
        byte[] recent = new byte[count];
        in.readFully(recent);
        return new AlertState(recent, in.readBoolean(), in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<AlertState> snapshotConfiguration() {
        return new AlertStateSerializerSnapshot();
    }

    /** The snapshot of {@link AlertStateSerializer}: its format version. */
    public static final class AlertStateSerializerSnapshot extends Snapshot<AlertState> {
        public AlertStateSerializerSnapshot() {
            super(INSTANCE);
        }
    }
}
