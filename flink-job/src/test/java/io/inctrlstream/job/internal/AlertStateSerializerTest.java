package io.inctrlstream.job.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The alert stage's keyed state has an explicit, versioned serializer. */
class AlertStateSerializerTest {
    @Test
    void everyShapeSurvivesARoundTrip() throws IOException {
        for (AlertState state :
                List.of(
                        AlertState.initial(),
                        new AlertState(new byte[] {1, 0, 1}, true, 1_700_000_000_123L),
                        new AlertState(new byte[1000], false, 0L))) {
            DataOutputSerializer out = new DataOutputSerializer(32);
            AlertStateSerializer.INSTANCE.serialize(state, out);
            AlertState back =
                    AlertStateSerializer.INSTANCE.deserialize(
                            new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).usingRecursiveComparison().isEqualTo(state);
        }
    }

    @Test
    void aWindowLongerThanAnyPolicyIsRefused() {
        DataOutputSerializer out = new DataOutputSerializer(8);
        assertThatThrownBy(
                        () -> {
                            out.writeInt(1001);
                            AlertStateSerializer.INSTANCE.deserialize(
                                    new DataInputDeserializer(out.getCopyOfBuffer()));
                        })
                .isInstanceOf(IOException.class)
                .hasMessage("corrupt alert state: 1001 recent frames, expected 0 to 1000");
    }

    @Test
    void itsSnapshotCarriesItsFormatVersionAndAcceptsItself() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(
                out, AlertStateSerializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<AlertState> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(read).isInstanceOf(AlertStateSerializer.AlertStateSerializerSnapshot.class);
        assertThat(read.restoreSerializer()).isEqualTo(AlertStateSerializer.INSTANCE);
        assertThat(
                        AlertStateSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(read)
                                .isCompatibleAsIs())
                .isTrue();
    }
}
