package io.inctrlstream.job.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.inference.AlertPolicy;
import io.inctrlstream.job.inference.CommandAction;
import io.inctrlstream.job.inference.CommandOrigin;
import io.inctrlstream.job.inference.FrameToScore;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.inference.RecordPosition;
import io.inctrlstream.job.inference.RecordProvenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The explicit serializers of the operator's keyed state: every shape of every value survives a
 * round trip (compared field by field), and each writes a snapshot of its format version that the
 * same version accepts as is.
 */
class StateSerializersTest {
    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = serializer.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        return back;
    }

    private static ImagePayload image(String name, ImageEncoding encoding) {
        return new ImagePayload(encoding, 3, 2, name.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lineSettingsOfEveryShapeSurvive() throws IOException {
        for (LineSettings settings :
                List.of(
                        LineSettings.initial(0.5),
                        new LineSettings(0.125, "widget", new AlertPolicy(2, 5, 1_000L), 7L, 3),
                        new LineSettings(1.0, null, new AlertPolicy(1, 1, 0L), 0L, 0))) {
            assertThat(roundTrip(LineSettingsSerializer.INSTANCE, settings)).isEqualTo(settings);
        }
    }

    @Test
    void pendingFramesAndCommandsOfEveryShapeSurvive() throws IOException {
        RecordProvenance provenance =
                new RecordProvenance(
                        "frames",
                        3,
                        99L,
                        "line-a".getBytes(StandardCharsets.UTF_8),
                        new byte[] {1, 2},
                        40,
                        1234L);
        RecordProvenance keyless = new RecordProvenance("frames", 0, 0L, null, new byte[0], 0, 5L);
        LineCommand full =
                new LineCommand(
                        "c-1",
                        "line-a",
                        42L,
                        "operator \u00e9",
                        CommandAction.SET_SHOTS,
                        List.of(image("s1", ImageEncoding.JPEG), image("s2", ImageEncoding.RGB8)),
                        "widget",
                        0.75,
                        new AlertPolicy(2, 5, 1_000L),
                        new CommandOrigin("User:alice", "key-1", null),
                        new RecordPosition("control", 1, 77L));
        LineCommand bare =
                LineCommand.clearShots(new LineCommand.CommandHeader("c-2", "line-b", 0L, null))
                        .withOrigin(CommandOrigin.refused("unsigned"));
        List<PendingInput> inputs =
                List.of(
                        new PendingInput(
                                LineInput.of(
                                        new FrameToScore(
                                                "line-a",
                                                "cam",
                                                "f-1",
                                                1_000L,
                                                image("frame", ImageEncoding.PNG),
                                                provenance)),
                                17L,
                                true),
                        new PendingInput(
                                LineInput.of(
                                        new FrameToScore(
                                                "line-a",
                                                "cam",
                                                "f-2",
                                                1_001L,
                                                image("frame", ImageEncoding.GRAY8),
                                                keyless)),
                                0L,
                                false),
                        new PendingInput(
                                LineInput.of(
                                        new FrameToScore(
                                                "line-a",
                                                "cam",
                                                "f-3",
                                                1_002L,
                                                image("frame", ImageEncoding.PNG))),
                                3L,
                                true),
                        new PendingInput(LineInput.of(full), 18L, true),
                        new PendingInput(LineInput.of(bare), 19L, true));
        for (PendingInput input : inputs) {
            assertThat(roundTrip(PendingInputSerializer.INSTANCE, input))
                    .usingRecursiveComparison()
                    .isEqualTo(input);
        }
    }

    @Test
    void aCorruptPendingInputIsRefusedSayingWhatWasFound() {
        DataOutputSerializer out = new DataOutputSerializer(16);
        assertThatThrownBy(
                        () -> {
                            out.writeLong(0L);
                            out.writeBoolean(false);
                            out.writeByte(7);
                            PendingInputSerializer.INSTANCE.deserialize(
                                    new DataInputDeserializer(out.getCopyOfBuffer()));
                        })
                .isInstanceOf(IOException.class)
                .hasMessage("corrupt pending input: kind 7, expected 0 (frame) or 1 (command)");
    }

    @Test
    void shotImagesSurviveAndACorruptCountIsRefused() throws IOException {
        ShotImages shots =
                new ShotImages(
                        "inctrl-tiny@1-int8",
                        List.of(image("a", ImageEncoding.PNG), image("b", ImageEncoding.JPEG)));
        assertThat(roundTrip(ShotImagesSerializer.INSTANCE, shots))
                .usingRecursiveComparison()
                .isEqualTo(shots);

        DataOutputSerializer out = new DataOutputSerializer(16);
        org.apache.flink.types.StringValue.writeString("m@1", out);
        out.writeInt(0);
        assertThatThrownBy(
                        () ->
                                ShotImagesSerializer.INSTANCE.deserialize(
                                        new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessage("corrupt shot images: 0 images, expected 1 to 65536");
    }

    @Test
    void aShotBankIsWrittenAsFlinksByteArraySerializerWroteItAndNeverCopied() throws IOException {
        byte[] bank = new byte[70_000];
        new java.util.Random(7).nextBytes(bank);
        DataOutputSerializer ours = new DataOutputSerializer(64);
        ShotBankBytesSerializer.INSTANCE.serialize(bank, ours);
        DataOutputSerializer flinks = new DataOutputSerializer(64);
        org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer.INSTANCE
                .serialize(bank, flinks);

        assertThat(ours.getCopyOfBuffer()).isEqualTo(flinks.getCopyOfBuffer());
        assertThat(
                        ShotBankBytesSerializer.INSTANCE.deserialize(
                                new DataInputDeserializer(flinks.getCopyOfBuffer())))
                .isEqualTo(bank);
        assertThat(ShotBankBytesSerializer.INSTANCE.copy(bank))
                .as("the heap backend's copy-on-write gets the same array")
                .isSameAs(bank);
        assertThat(
                        ShotBankBytesSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        org.apache.flink.api.common.typeutils.base.array
                                                .BytePrimitiveArraySerializer.INSTANCE
                                                .snapshotConfiguration())
                                .isCompatibleAsIs())
                .as("state written with Flink's byte-array serializer is read as is")
                .isTrue();
        DataOutputSerializer negative = new DataOutputSerializer(4);
        negative.writeInt(-3);
        assertThatThrownBy(
                        () ->
                                ShotBankBytesSerializer.INSTANCE.deserialize(
                                        new DataInputDeserializer(negative.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessage("corrupt shot bank state: a length of -3 bytes, expected >= 0");
    }

    @Test
    void eachSnapshotCarriesItsFormatVersionAndAcceptsItself() throws IOException {
        for (StateSerializer<?> serializer :
                List.<StateSerializer<?>>of(
                        LineSettingsSerializer.INSTANCE,
                        PendingInputSerializer.INSTANCE,
                        CommandLogSerializer.INSTANCE,
                        ShotBankBytesSerializer.INSTANCE,
                        ShotImagesSerializer.INSTANCE)) {
            assertSnapshotRoundTrip(serializer);
        }
    }

    static <T> void assertSnapshotRoundTrip(StateSerializer<T> serializer) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<T> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        StateSerializersTest.class.getClassLoader());

        assertThat(read.getClass()).isEqualTo(serializer.snapshotConfiguration().getClass());
        assertThat(read.getCurrentVersion()).isEqualTo(1);
        assertThat(read.restoreSerializer()).isEqualTo(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(read)
                                .isCompatibleAsIs())
                .isTrue();
    }
}
