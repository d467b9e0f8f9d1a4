package io.inctrlstream.job.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.inference.RecordPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A line's memory of applied commands, and its versioned state serializer. */
class CommandLogTest {
    private static final RecordPosition AT_7 = new RecordPosition("control", 2, 7L);

    @Test
    void remembersTheLast64IdsOldestFirstWithoutRepeats() {
        CommandLog log = CommandLog.EMPTY;
        for (int i = 0; i < 70; i++) {
            log = log.withApplied("c-" + i, null);
        }
        log = log.withApplied("c-10", null);

        assertThat(log.recentIds()).hasSize(64).startsWith("c-6", "c-7").endsWith("c-69", "c-10");
        assertThat(log.recentIds()).doesNotHaveDuplicates();
        assertThat(log.applied("c-5")).isFalse();
        assertThat(log.applied("c-10")).isTrue();
    }

    @Test
    void hasAnsweredRecordsAtOrBeforeItsLastPositionInTheSamePartitionOnly() {
        CommandLog log = CommandLog.EMPTY.withApplied("c-1", AT_7);

        assertThat(log.answered(new RecordPosition("control", 2, 7L))).isTrue();
        assertThat(log.answered(new RecordPosition("control", 2, 3L))).isTrue();
        assertThat(log.answered(new RecordPosition("control", 2, 8L))).isFalse();
        assertThat(log.answered(new RecordPosition("control", 1, 3L))).isFalse();
        assertThat(log.answered(new RecordPosition("other", 2, 3L))).isFalse();
        assertThat(log.answered(null)).isFalse();
        assertThat(CommandLog.EMPTY.answered(AT_7)).isFalse();
        assertThat(log.withApplied("c-2", null).lastPosition())
                .as("a command of unknown position keeps the last known one")
                .isEqualTo(AT_7);
    }

    @Test
    void serializesAndDeserializesEveryShape() throws IOException {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            many.add("command-" + i + "-\u00e9\u4e2d");
        }
        for (CommandLog log :
                List.of(
                        CommandLog.EMPTY,
                        new CommandLog(List.of("only"), null),
                        new CommandLog(many, AT_7))) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            CommandLogSerializer.INSTANCE.serialize(log, out);
            CommandLog back =
                    CommandLogSerializer.INSTANCE.deserialize(
                            new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).isEqualTo(log);
        }
    }

    @Test
    void refusesACorruptIdCount() {
        DataOutputSerializer out = new DataOutputSerializer(8);
        assertThatThrownBy(
                        () -> {
                            out.writeInt(65);
                            CommandLogSerializer.INSTANCE.deserialize(
                                    new DataInputDeserializer(out.getCopyOfBuffer()));
                        })
                .isInstanceOf(IOException.class)
                .hasMessage("corrupt command log: 65 command ids, expected 0 to 64");
    }

    @Test
    void itsSnapshotCarriesTheFormatVersionAndAcceptsItsOwnVersionAsIs() throws IOException {
        TypeSerializerSnapshot<CommandLog> written =
                CommandLogSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, written);

        TypeSerializerSnapshot<CommandLog> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(read).isInstanceOf(CommandLogSerializer.CommandLogSerializerSnapshot.class);
        assertThat(read.getCurrentVersion()).isEqualTo(1);
        assertThat(read.restoreSerializer()).isEqualTo(CommandLogSerializer.INSTANCE);
        TypeSerializerSchemaCompatibility<CommandLog> compatibility =
                CommandLogSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void aSnapshotOfANewerFormatIsRefusedWithTheVersionsNamed() {
        assertThatThrownBy(
                        () ->
                                new CommandLogSerializer.CommandLogSerializerSnapshot()
                                        .readSnapshot(
                                                2,
                                                new DataInputDeserializer(new byte[0]),
                                                getClass().getClassLoader()))
                .isInstanceOf(IOException.class)
                .hasMessage(
                        "state of CommandLogSerializerSnapshot format version 2 cannot be read by"
                                + " this version of the job, which reads versions 1 to 1");
    }
}
