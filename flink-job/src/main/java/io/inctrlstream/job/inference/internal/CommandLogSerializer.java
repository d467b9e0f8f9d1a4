package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.RecordPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Serializer of a line's {@link CommandLog} (keyed state {@code line-command-log}). Format 1: int
 * id count, the ids (Flink strings), boolean position present, then topic, int partition, long
 * offset.
 */
public final class CommandLogSerializer extends StateSerializer<CommandLog> {
    private static final long serialVersionUID = 1L;

    static final CommandLogSerializer INSTANCE = new CommandLogSerializer();

    @Override
    protected int formatVersion() {
        return 1;
    }

    @Override
    public CommandLog createInstance() {
        return CommandLog.EMPTY;
    }

    @Override
    public void serialize(CommandLog log, DataOutputView out) throws IOException {
        out.writeInt(log.recentIds().size());
        for (String id : log.recentIds()) {
            StringValue.writeString(id, out);
        }
        writePosition(log.lastPosition(), out);
    }

    @Override
    public CommandLog deserialize(DataInputView in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > CommandLog.MAX_RECENT_IDS) {
            throw new IOException(
                    "corrupt command log: "
                            + count
                            + " command ids, expected 0 to "
                            + CommandLog.MAX_RECENT_IDS);
        }
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(StringValue.readString(in));
        }
        return new CommandLog(ids, readPosition(in));
    }

    /** Writes a nullable position: a presence flag, then topic, partition and offset. */
    static void writePosition(RecordPosition position, DataOutputView out) throws IOException {
        out.writeBoolean(position != null);
        if (position != null) {
            StringValue.writeString(position.topic(), out);
            out.writeInt(position.partition());
            out.writeLong(position.offset());
        }
    }

    /** Reads what {@link #writePosition} wrote. */
    static RecordPosition readPosition(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new RecordPosition(StringValue.readString(in), in.readInt(), in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<CommandLog> snapshotConfiguration() {
        return new CommandLogSerializerSnapshot();
    }

    /** The snapshot of {@link CommandLogSerializer}: its format version. */
    public static final class CommandLogSerializerSnapshot extends Snapshot<CommandLog> {
        public CommandLogSerializerSnapshot() {
            super(INSTANCE);
        }
    }
}
