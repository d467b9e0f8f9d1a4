package io.inctrlstream.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.codec.internal.KnownRecords;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecRoundTripTest {

    static Stream<Arguments> everyRecordVariant() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("frame", AvroCodec.frames(), SampleRecords.frame()));
        cases.add(
                Arguments.of(
                        "frame without optional parts",
                        AvroCodec.frames(),
                        SampleRecords.frameWithoutOptionalParts()));
        for (ControlCommand command : SampleRecords.commandsOfEveryAction()) {
            cases.add(
                    Arguments.of(
                            "command " + command.getAction().getClass().getSimpleName(),
                            AvroCodec.controlCommands(),
                            command));
        }
        cases.add(
                Arguments.of(
                        "scored score", AvroCodec.anomalyScores(), SampleRecords.scoredScore()));
        cases.add(
                Arguments.of(
                        "no-reference score",
                        AvroCodec.anomalyScores(),
                        SampleRecords.noReferenceScore()));
        cases.add(
                Arguments.of(
                        "failed score", AvroCodec.anomalyScores(), SampleRecords.failedScore()));
        cases.add(Arguments.of("alert", AvroCodec.anomalyAlerts(), SampleRecords.alert()));
        cases.add(
                Arguments.of(
                        "applied event", AvroCodec.controlEvents(), SampleRecords.appliedEvent()));
        cases.add(
                Arguments.of(
                        "rejected event",
                        AvroCodec.controlEvents(),
                        SampleRecords.rejectedEvent()));
        cases.add(Arguments.of("dead letter", AvroCodec.deadLetters(), SampleRecords.deadLetter()));
        cases.add(
                Arguments.of(
                        "dead letter without key",
                        AvroCodec.deadLetters(),
                        SampleRecords.deadLetterWithoutKey()));
        cases.add(Arguments.of("line state", AvroCodec.lineStates(), SampleRecords.lineState()));
        cases.add(
                Arguments.of(
                        "line state without optional parts",
                        AvroCodec.lineStates(),
                        SampleRecords.lineStateWithoutOptionalParts()));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecordVariant")
    <T extends SpecificRecord> void decodesWhatItEncoded(String name, AvroCodec<T> codec, T record)
            throws SchemaDecodeException {
        T decoded = codec.decode(codec.encode(record));

        assertThat(decoded).isEqualTo(record).isNotSameAs(record);
    }

    @Test
    void everyControlActionVariantIsCovered() {
        List<String> variants =
                SampleRecords.commandsOfEveryAction().stream()
                        .map(command -> command.getAction().getClass().getName())
                        .distinct()
                        .toList();
        List<String> unionBranches =
                ControlCommand.getClassSchema().getField("action").schema().getTypes().stream()
                        .map(branch -> branch.getFullName())
                        .toList();

        assertThat(variants).containsExactlyInAnyOrderElementsOf(unionBranches);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecordVariant")
    <T extends SpecificRecord> void writesTheSingleObjectHeader(
            String name, AvroCodec<T> codec, T record) {
        byte[] bytes = codec.encode(record);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint)
                .isEqualTo(SchemaNormalization.parsingFingerprint64(record.getSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecordVariant")
    <T extends SpecificRecord> void encodesTheSameBytesIntoAStream(
            String name, AvroCodec<T> codec, T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        codec.encode(record, out);

        assertThat(out.toByteArray()).isEqualTo(codec.encode(record));
    }

    @Test
    void aRecordThatDoesNotFitItsSchemaIsRefusedWhenEncodedIntoAStream() {
        LineState incomplete = SampleRecords.lineState();
        incomplete.setModelId(null);

        assertThatThrownBy(
                        () ->
                                AvroCodec.lineStates()
                                        .encode(incomplete, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot encode this LineState: ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecordVariant")
    <T extends SpecificRecord> void encodesExactlyAsAvrosOwnSingleObjectEncoder(
            String name, AvroCodec<T> codec, T record) throws IOException {
        byte[] avros = toArray(toByteBuffer(record));

        assertThat(codec.encode(record)).isEqualTo(avros);
    }

    @Test
    void timesKeepTheirMilliseconds() throws SchemaDecodeException {
        Frame frame = SampleRecords.frame();

        Frame decoded = AvroCodec.frames().decode(AvroCodec.frames().encode(frame));

        assertThat(decoded.getCaptureTime()).isEqualTo(SampleRecords.CAPTURED);
    }

    @Test
    void encodingLeavesTheRecordsBuffersUntouched() {
        Frame frame = SampleRecords.frame();
        int position = frame.getImage().getData().position();

        AvroCodec.frames().encode(frame);

        assertThat(frame.getImage().getData().position()).isEqualTo(position);
    }

    @Test
    void survivesJavaSerializationAndStillDecodes() throws Exception {
        AvroCodec<AnomalyScore> codec = AvroCodec.anomalyScores();
        byte[] encoded = codec.encode(SampleRecords.scoredScore());

        AvroCodec<?> copy = deserialize(serialize(codec));

        assertThat(copy.recordClass()).isEqualTo(AnomalyScore.class);
        assertThat(copy.knownWriterVersions()).isEqualTo(codec.knownWriterVersions());
        assertThat(copy.decode(encoded)).isEqualTo(SampleRecords.scoredScore());
    }

    @Test
    void sharedInstanceEncodesAndDecodesConcurrently() throws Exception {
        AvroCodec<AnomalyAlert> alerts = AvroCodec.anomalyAlerts();
        AvroCodec<ControlEvent> events = AvroCodec.controlEvents();
        int threads = 4;
        int iterations = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Integer> work =
                        () -> {
                            int matches = 0;
                            for (int i = 0; i < iterations; i++) {
                                AnomalyAlert alert = SampleRecords.alert();
                                alert.setFrameId("f-" + thread + "-" + i);
                                ControlEvent event = SampleRecords.rejectedEvent();
                                event.setShotCount(thread * iterations + i);
                                if (alerts.decode(alerts.encode(alert)).equals(alert)
                                        && events.decode(events.encode(event)).equals(event)) {
                                    matches++;
                                }
                            }
                            return matches;
                        };
                results.add(pool.submit(work));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(iterations);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thereIsACodecForEveryTopicRecord() {
        List<Class<?>> byFactory =
                List.of(
                        AvroCodec.frames().recordClass(),
                        AvroCodec.controlCommands().recordClass(),
                        AvroCodec.anomalyScores().recordClass(),
                        AvroCodec.anomalyAlerts().recordClass(),
                        AvroCodec.controlEvents().recordClass(),
                        AvroCodec.deadLetters().recordClass(),
                        AvroCodec.lineStates().recordClass());

        assertThat(byFactory)
                .containsExactlyInAnyOrderElementsOf(KnownRecords.TYPES)
                .containsExactlyInAnyOrder(
                        Frame.class,
                        ControlCommand.class,
                        AnomalyScore.class,
                        AnomalyAlert.class,
                        ControlEvent.class,
                        DeadLetter.class,
                        LineState.class);
    }

    private static ByteBuffer toByteBuffer(SpecificRecord record) throws IOException {
        try {
            return (ByteBuffer) record.getClass().getMethod("toByteBuffer").invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IOException("generated class has no toByteBuffer()", e);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] serialize(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    private static AvroCodec<?> deserialize(byte[] bytes)
            throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (AvroCodec<?>) in.readObject();
        }
    }
}
