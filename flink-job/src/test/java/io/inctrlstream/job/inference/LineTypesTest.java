package io.inctrlstream.job.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The operator's input and output types: Flink POJOs that never fall back to Kryo. */
class LineTypesTest {

    static <T> T roundTrip(Class<T> type, T value) throws Exception {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<T> serializer = info.createSerializer(noKryo);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void commandWithShotsAndPolicySurvivesSerialization() throws Exception {
        LineCommand command =
                new LineCommand(
                        "c1",
                        "line-a",
                        42L,
                        "operator",
                        CommandAction.SET_SHOTS,
                        TestInputs.images("s1", "s2"),
                        "widget",
                        0.7,
                        new AlertPolicy(2, 5, 1_000L),
                        new CommandOrigin("User:alice", "key-1", null));

        LineCommand copy = roundTrip(LineInput.class, LineInput.of(command)).command();

        assertThat(copy).usingRecursiveComparison().isEqualTo(command);
        assertThat(copy.shots().get(1).data()).isEqualTo("s2".getBytes());
    }

    @Test
    void frameSurvivesSerialization() throws Exception {
        LineInput frame = TestInputs.frame("line-a", "f1");

        LineInput copy = roundTrip(LineInput.class, frame);

        assertThat(copy.isFrame()).isTrue();
        assertThat(copy).usingRecursiveComparison().isEqualTo(frame);
    }

    @Test
    void frameWithProvenanceSurvivesSerialization() throws Exception {
        LineInput frame = TestInputs.frameFromRecord("line-a", "f1", 12L);

        LineInput copy = roundTrip(LineInput.class, frame);

        assertThat(copy).usingRecursiveComparison().isEqualTo(frame);
        assertThat(copy.frame().provenance().valuePrefix()).containsExactly(1, 2, 3);
        assertThat(copy.frame().provenance().truncated()).isTrue();
    }

    @Test
    void failedScoreWithImageFailureAndProvenanceSurvivesSerialization() throws Exception {
        LineOutput failed =
                LineOutput.of(
                        new FrameScore(
                                "line-a",
                                "cam",
                                "f1",
                                1L,
                                2L,
                                ScoreStatus.FAILED,
                                "IMAGE_CORRUPT: cut",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                0.5,
                                false,
                                3L,
                                null,
                                null,
                                1,
                                null,
                                null,
                                ImageFailure.IMAGE_CORRUPT,
                                TestInputs.provenance("line-a", 12L)));

        assertThat(roundTrip(LineOutput.class, failed))
                .usingRecursiveComparison()
                .isEqualTo(failed);
    }

    @Test
    void outputsSurviveSerialization() throws Exception {
        LineOutput score =
                LineOutput.of(
                        new FrameScore(
                                "line-a",
                                "cam",
                                "f1",
                                1L,
                                2L,
                                ScoreStatus.SCORED,
                                null,
                                0.9f,
                                0.8f,
                                0.7f,
                                0.6f,
                                0.5f,
                                new float[] {0.1f, 0.2f},
                                0.5,
                                true,
                                3L,
                                "widget",
                                null,
                                1,
                                new byte[] {7, 8},
                                "hash",
                                null,
                                null));
        LineOutput outcome =
                LineOutput.of(
                        new CommandOutcome(
                                "c1",
                                "line-a",
                                CommandAction.CLEAR_SHOTS,
                                "me",
                                5L,
                                CommandStatus.REJECTED,
                                "because",
                                3L,
                                0,
                                6L,
                                CommandOrigin.refused("unsigned")));

        assertThat(roundTrip(LineOutput.class, score)).usingRecursiveComparison().isEqualTo(score);
        assertThat(roundTrip(LineOutput.class, outcome))
                .usingRecursiveComparison()
                .isEqualTo(outcome);
    }

    @Test
    void unionTypesHoldExactlyOneSide() {
        assertThatThrownBy(() -> new LineInput(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "a line input holds exactly one of a frame and a command, found neither");
        assertThatThrownBy(
                        () ->
                                new LineInput(
                                        TestInputs.frame("l", "f").frame(),
                                        LineCommand.clearShots(TestInputs.header("l", "c"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a line input holds exactly one of a frame and a command, found both");
        assertThatThrownBy(() -> new LineOutput(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "a line output holds exactly one of a score and a command outcome, found"
                                + " neither");
        assertThatThrownBy(() -> new FrameScoreResult(null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "a frame result holds exactly one of scores and a failure reason, found"
                                + " neither");
        assertThatThrownBy(
                        () ->
                                new FrameScoreResult(
                                        new ScoreValues(1, 1, 1, 1, 1, new float[1]),
                                        null,
                                        ImageFailure.IMAGE_CORRUPT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "an image failure needs a failure reason, found scores with"
                                + " IMAGE_CORRUPT");
        assertThatThrownBy(() -> new RecordProvenance("frames", 0, 1L, null, new byte[3], 2, 0L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a value prefix cannot be longer than the value, found 3 bytes of 2");
    }

    @Test
    void backendRequestsRejectWhatCannotBeBuilt() {
        assertThatThrownBy(() -> new BankBuildRequest("line-a", null, List.of(), "widget"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "a bank build needs a base bank or new shots, found neither for line"
                                + " line-a");
        assertThatThrownBy(() -> new BuiltBank(new byte[0], 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "a built bank needs bytes and at least one shot, found 0 bytes and 1 shots");
        assertThatThrownBy(() -> new ImagePayload(ImageEncoding.RGB8, 0, 3, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image width and height must be positive, found 0x3");
    }
}
