package io.inctrlstream.job;

import static io.inctrlstream.job.TestRecords.CONTROL;
import static io.inctrlstream.job.TestRecords.FRAMES;
import static io.inctrlstream.job.TestRecords.command;
import static io.inctrlstream.job.TestRecords.encode;
import static io.inctrlstream.job.TestRecords.frame;
import static io.inctrlstream.job.TestRecords.image;
import static io.inctrlstream.job.TestRecords.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.engine.EngineInferenceBackend;
import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.ScoringRequest;
import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutputTopic;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.model.image.ImageDecoder;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole job on a MiniCluster (two subtasks behind the keyBy), with an in-memory source of raw
 * records and collecting sinks: good frames scored around every kind of bad record, each bad record
 * ending somewhere visible with its reason, commands acknowledged in line order, and alerts from
 * the lines' policies. The model is {@link BrightnessBackend} (real image decoding, scores by
 * brightness) and the tiny bundle through the engine backend; for each, the threshold that
 * separates the defect from the good frames is measured first, so that which frames alert is known.
 */
@Timeout(120)
class InspectionJobITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int SIDE = 64;
    private static final int MAX_SHOTS = 3;
    private static final long FRAME_MAX_BYTES = 64 * 1024;
    private static final long MAX_PIXELS = 4_000_000L;
    private static final int DEAD_LETTER_MAX_BYTES = 1024;

    private static final byte[] GOOD_PNG = TestImages.png(SIDE, SIDE, 40, false);
    private static final byte[] GOOD_JPEG = TestImages.jpeg(SIDE, SIDE, 40, false);
    private static final byte[] GOOD_RGB8 = TestImages.rgb8(SIDE, SIDE, 40, false);
    private static final List<byte[]> DEFECT_CANDIDATES =
            TestImages.defectCandidates(SIDE, SIDE, 40);

    private CollectingSinks sinks;

    /**
     * A model the job runs with, the defect picture it scores highest, and a threshold between that
     * score and the good pictures' scores.
     */
    record ModelCase(String name, InspectionModel model, byte[] defect, double threshold) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<ModelCase> models() throws Exception {
        return List.of(brightnessModel(), engineModel());
    }

    private static ModelCase brightnessModel() throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        io.inctrlstream.model.image.ImageEncoding png =
                io.inctrlstream.model.image.ImageEncoding.PNG;
        List<Float> scores = new ArrayList<>();
        scores.add(BrightnessBackend.brightness(decoder.decode(png, GOOD_PNG, SIDE, SIDE)));
        for (byte[] candidate : DEFECT_CANDIDATES) {
            scores.add(BrightnessBackend.brightness(decoder.decode(png, candidate, SIDE, SIDE)));
        }
        return modelCase(
                "brightness stand-in",
                new InspectionModel(BrightnessBackend.MODEL_ID, BrightnessBackend.factory()),
                scores.subList(0, 1),
                scores.subList(1, scores.size()));
    }

    /** The tiny bundle through the engine backend; the threshold from the same engine's scores. */
    private static ModelCase engineModel() throws Exception {
        EngineBackendSettings settings =
                EngineBackendSettings.builder(TinyBundle.DIRECTORY.toString()).build();
        try (EngineInferenceBackend engine = EngineInferenceBackend.open(settings, null)) {
            BuiltBank bank =
                    engine.buildBank(
                            new BankBuildRequest(
                                    "line-a",
                                    null,
                                    List.of(
                                            payload(
                                                    io.inctrlstream.job.inference.ImageEncoding.PNG,
                                                    GOOD_PNG),
                                            payload(
                                                    io.inctrlstream.job.inference.ImageEncoding
                                                            .JPEG,
                                                    GOOD_JPEG)),
                                    null));
            ShotBankRef ref = new ShotBankRef("line-a", 1, bank.bytes());
            List<ScoringRequest> requests = new ArrayList<>();
            requests.add(
                    new ScoringRequest(
                            "line-a",
                            "png",
                            ref,
                            payload(io.inctrlstream.job.inference.ImageEncoding.PNG, GOOD_PNG),
                            1.0));
            requests.add(
                    new ScoringRequest(
                            "line-a",
                            "jpeg",
                            ref,
                            payload(io.inctrlstream.job.inference.ImageEncoding.JPEG, GOOD_JPEG),
                            1.0));
            requests.add(
                    new ScoringRequest(
                            "line-a",
                            "rgb8",
                            ref,
                            payload(io.inctrlstream.job.inference.ImageEncoding.RGB8, GOOD_RGB8),
                            1.0));
            for (byte[] candidate : DEFECT_CANDIDATES) {
                requests.add(
                        new ScoringRequest(
                                "line-a",
                                "defect",
                                ref,
                                payload(io.inctrlstream.job.inference.ImageEncoding.PNG, candidate),
                                1.0));
            }
            List<Float> scores =
                    engine.scoreBatch(requests).stream()
                            .map(r -> r.values().finalScore())
                            .collect(Collectors.toList());
            return modelCase(
                    "tiny bundle engine",
                    InspectionModel.engine(settings),
                    scores.subList(0, 3),
                    scores.subList(3, scores.size()));
        }
    }

    private static ImagePayload payload(
            io.inctrlstream.job.inference.ImageEncoding encoding, byte[] data) {
        return new ImagePayload(encoding, SIDE, SIDE, data);
    }

    private static ModelCase modelCase(
            String name, InspectionModel model, List<Float> goods, List<Float> defects) {
        float good = goods.stream().max(Float::compare).orElseThrow();
        int worst = 0;
        for (int i = 1; i < defects.size(); i++) {
            if (defects.get(i) > defects.get(worst)) {
                worst = i;
            }
        }
        float defect = defects.get(worst);
        assertThat(defect)
                .as(
                        name
                                + ": some defect scores above the good pictures "
                                + goods
                                + "; defects "
                                + defects)
                .isGreaterThan(good);
        return new ModelCase(name, model, DEFECT_CANDIDATES.get(worst), (good + defect) / 2.0);
    }

    @AfterEach
    void forgetRecords() {
        if (sinks != null) {
            sinks.clear();
        }
    }

    private static FrameImage png(byte[] data) {
        return image(ImageEncoding.PNG, SIDE, SIDE, data);
    }

    /** The records of one production run, in source order, with what each must become. */
    private static final class Script {
        final List<RawRecord> records = new ArrayList<>();
        final Map<Long, DeadLetterReason> deadLetters = new java.util.LinkedHashMap<>();

        final Map<String, Long> frameOffsets = new java.util.HashMap<>();

        long offsetOf(String frameId) {
            return frameOffsets.get(frameId);
        }

        void frame(String line, String frameId, long captureOffset, FrameImage image) {
            frameOffsets.put(frameId, (long) records.size());
            records.add(
                    raw(
                            FRAMES,
                            records.size(),
                            line,
                            encode(TestRecords.frame(line, frameId, captureOffset, image))));
        }

        void command(String line, String commandId, Object action) {
            records.add(
                    raw(
                            CONTROL,
                            records.size(),
                            line,
                            encode(TestRecords.command(line, commandId, action))));
        }

        /** A frame whose image does not decode: a FAILED score and a dead letter. */
        void undecodableFrame(
                String line,
                String frameId,
                long captureOffset,
                FrameImage image,
                DeadLetterReason reason) {
            deadLetters.put((long) records.size(), reason);
            frame(line, frameId, captureOffset, image);
        }

        void bad(String topic, String key, byte[] value, DeadLetterReason reason) {
            deadLetters.put((long) records.size(), reason);
            records.add(raw(topic, records.size(), key, value));
        }
    }

    /** A ClearShots command whose action union index is past the last branch. */
    private static byte[] commandWithUnknownActionBranch(String line, String commandId)
            throws Exception {
        byte[] valid = encode(command(line, commandId, TestRecords.clearShots()));
        java.io.ByteArrayOutputStream prefix = new java.io.ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(prefix, null);
        encoder.writeString(commandId);
        encoder.writeString(line);
        encoder.writeLong(TestRecords.CAPTURE_BASE);
        encoder.writeString("tester");
        encoder.flush();
        int unionIndexAt = 10 + prefix.size();
        assertThat(valid[unionIndexAt])
                .as("ClearShots is branch 2 (zig-zag 4)")
                .isEqualTo((byte) 4);
        byte[] broken = valid.clone();
        broken[unionIndexAt] = 14; // branch 7 of 6
        return broken;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void scoresGoodFramesAroundBadRecordsAndAlertsOnDefects(ModelCase model) throws Exception {
        double threshold = model.threshold();
        Script s = new Script();
        String a = "line-a";
        String b = "line-b";
        s.frame(a, "a-f0", 0, png(GOOD_PNG));
        s.command(
                a,
                "a-c1",
                TestRecords.setShots(
                        List.of(png(GOOD_PNG), image(ImageEncoding.JPEG, SIDE, SIDE, GOOD_JPEG))));
        s.frame(b, "b-f0", 0, png(GOOD_PNG));
        s.command(a, "a-c2", TestRecords.setThreshold(threshold));
        s.command(b, "b-c1", TestRecords.setShots(List.of(png(GOOD_PNG))));
        s.frame(a, "a-f1", 1_000, png(GOOD_PNG));
        s.bad(
                FRAMES,
                a,
                "{\"lineId\": \"line-a\"}".getBytes(StandardCharsets.UTF_8),
                DeadLetterReason.NOT_SINGLE_OBJECT);
        s.frame(a, "a-f2", 2_000, image(ImageEncoding.JPEG, SIDE, SIDE, GOOD_JPEG));
        s.bad(
                FRAMES,
                a,
                encode(command(a, "misrouted", TestRecords.clearShots())),
                DeadLetterReason.UNKNOWN_FINGERPRINT);
        byte[] goodFrame = encode(frame(a, "cut", 0, png(GOOD_PNG)));
        s.bad(
                FRAMES,
                a,
                Arrays.copyOf(goodFrame, goodFrame.length - 7),
                DeadLetterReason.MALFORMED);
        s.bad(
                FRAMES,
                a,
                encode(
                        frame(
                                a,
                                "huge",
                                0,
                                image(
                                        ImageEncoding.RGB8,
                                        200,
                                        200,
                                        TestImages.rgb8(200, 200, 40, false)))),
                DeadLetterReason.FRAME_TOO_LARGE);
        s.bad(
                FRAMES,
                a,
                encode(
                        frame(
                                a,
                                "short-raw",
                                0,
                                image(
                                        ImageEncoding.RGB8,
                                        SIDE,
                                        SIDE,
                                        new byte[SIDE * SIDE * 3 - 1]))),
                DeadLetterReason.INVALID_FRAME);
        s.bad(
                FRAMES,
                a,
                encode(
                        frame(
                                a,
                                "declared-huge",
                                0,
                                image(ImageEncoding.JPEG, 10_000, 10_000, GOOD_JPEG))),
                DeadLetterReason.FRAME_TOO_LARGE);
        s.bad(
                FRAMES,
                null,
                encode(frame("", "no-line", 0, png(GOOD_PNG))),
                DeadLetterReason.INVALID_FRAME);
        s.undecodableFrame(
                a,
                "a-f3",
                3_000,
                image(ImageEncoding.JPEG, SIDE, SIDE, TestImages.corruptJpeg(SIDE, SIDE)),
                DeadLetterReason.IMAGE_CORRUPT);
        s.frame(b, "b-f1", 3_000, png(GOOD_PNG));
        s.undecodableFrame(
                a,
                "a-f4",
                4_000,
                png(TestImages.truncatedPng(SIDE, SIDE)),
                DeadLetterReason.IMAGE_CORRUPT);
        s.undecodableFrame(
                a,
                "a-f5",
                5_000,
                png(TestImages.pngHeaderBomb(50_000, 50_000)),
                DeadLetterReason.IMAGE_TOO_LARGE);
        s.frame(
                a,
                "a-f6",
                6_000,
                image(ImageEncoding.RGB8, SIDE, SIDE, TestImages.rgb8(SIDE, SIDE, 40, false)));
        s.frame(a, "a-f7", 7_000, png(model.defect()));
        s.frame(a, "a-f8", 8_000, png(model.defect()));
        s.bad(
                CONTROL,
                a,
                encode(
                        command(
                                a,
                                "a-bad-shot",
                                TestRecords.setShots(
                                        List.of(
                                                image(
                                                        ImageEncoding.RGB8,
                                                        SIDE,
                                                        SIDE,
                                                        new byte[5]))))),
                DeadLetterReason.INVALID_COMMAND);
        s.bad(
                CONTROL,
                a,
                commandWithUnknownActionBranch(a, "a-unknown-action"),
                DeadLetterReason.MALFORMED);
        s.command(
                a,
                "a-c4",
                TestRecords.setShots(
                        List.of(png(GOOD_PNG), png(GOOD_PNG), png(GOOD_PNG), png(GOOD_PNG))));
        s.command(
                a,
                "a-c5",
                TestRecords.addShots(
                        List.of(
                                image(
                                        ImageEncoding.JPEG,
                                        SIDE,
                                        SIDE,
                                        TestImages.corruptJpeg(SIDE, SIDE)))));
        s.command(a, "a-c6", TestRecords.setAlertPolicy(2, 3, 0));
        s.frame(a, "a-f9", 20_000, png(model.defect()));

        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(InspectionJobOptions.STATE_BACKEND, StateBackendKind.HASHMAP);
        config.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
        config.set(InspectionJobOptions.FRAME_MAX_BYTES, new MemorySize(FRAME_MAX_BYTES));
        config.set(InspectionJobOptions.MAX_PIXELS, MAX_PIXELS);
        config.set(InspectionJobOptions.MAX_SHOTS_PER_LINE, MAX_SHOTS);
        config.set(
                InspectionJobOptions.DEAD_LETTER_MAX_BYTES, new MemorySize(DEAD_LETTER_MAX_BYTES));
        config.set(InspectionJobOptions.MAX_BATCH_WAIT, Duration.ofMillis(5));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        sinks = new CollectingSinks();
        InspectionJob.build(env, config, new InMemorySources(s.records), sinks, model.model());
        env.execute("inspection job test");

        List<AnomalyScore> scores = sinks.decoded(OutputTopic.SCORES, AvroCodec.anomalyScores());
        Map<String, List<AnomalyScore>> scoresByLine =
                scores.stream().collect(Collectors.groupingBy(AnomalyScore::getLineId));
        assertThat(scoresByLine.get(a))
                .extracting(
                        AnomalyScore::getFrameId,
                        AnomalyScore::getStatus,
                        AnomalyScore::getAnomalous)
                .containsExactly(
                        tuple("a-f0", ScoreStatus.NO_REFERENCE, false),
                        tuple("a-f1", ScoreStatus.SCORED, false),
                        tuple("a-f2", ScoreStatus.SCORED, false),
                        tuple("a-f3", ScoreStatus.FAILED, false),
                        tuple("a-f4", ScoreStatus.FAILED, false),
                        tuple("a-f5", ScoreStatus.FAILED, false),
                        tuple("a-f6", ScoreStatus.SCORED, false),
                        tuple("a-f7", ScoreStatus.SCORED, true),
                        tuple("a-f8", ScoreStatus.SCORED, true),
                        tuple("a-f9", ScoreStatus.SCORED, true));
        assertThat(scoresByLine.get(b))
                .extracting(AnomalyScore::getFrameId, AnomalyScore::getStatus)
                .containsExactly(
                        tuple("b-f0", ScoreStatus.NO_REFERENCE), tuple("b-f1", ScoreStatus.SCORED));
        Map<String, AnomalyScore> byFrame =
                scores.stream()
                        .collect(Collectors.toMap(AnomalyScore::getFrameId, Function.identity()));
        assertThat(byFrame.get("a-f3").getFailureReason()).startsWith("IMAGE_CORRUPT: ");
        assertThat(byFrame.get("a-f4").getFailureReason()).startsWith("IMAGE_CORRUPT: ");
        assertThat(byFrame.get("a-f5").getFailureReason()).startsWith("IMAGE_TOO_LARGE: ");
        for (AnomalyScore score : scores) {
            assertThat(score.getScoreId())
                    .isEqualTo(RecordIds.scoreId(score.getLineId(), score.getFrameId()));
            assertThat(score.getModelId()).isEqualTo(model.model().modelId());
        }
        assertThat(byFrame.get("a-f1").getShotsVersion()).isEqualTo(1);
        assertThat(byFrame.get("a-f1").getThreshold()).isEqualTo(threshold);
        assertThat(byFrame.get("a-f1").getPatchGrid() * byFrame.get("a-f1").getPatchGrid())
                .isEqualTo(byFrame.get("a-f1").getPatchMap().size())
                .isPositive();
        assertThat(byFrame.get("a-f0").getPatchMap()).isEmpty();
        assertThat(sinks.records(OutputTopic.SCORES))
                .allSatisfy(record -> assertThat(record.key()).isNotNull());

        List<ControlEvent> events =
                sinks.decoded(OutputTopic.CONTROL_EVENTS, AvroCodec.controlEvents());
        assertThat(events)
                .extracting(
                        ControlEvent::getCommandId,
                        ControlEvent::getOutcome,
                        ControlEvent::getShotCount)
                .containsExactlyInAnyOrder(
                        tuple("a-c1", ControlOutcome.APPLIED, 2),
                        tuple("a-c2", ControlOutcome.APPLIED, 2),
                        tuple("b-c1", ControlOutcome.APPLIED, 1),
                        tuple("a-c4", ControlOutcome.REJECTED, 2),
                        tuple("a-c5", ControlOutcome.REJECTED, 2),
                        tuple("a-c6", ControlOutcome.APPLIED, 2));
        Map<String, ControlEvent> eventByCommand =
                events.stream()
                        .collect(Collectors.toMap(ControlEvent::getCommandId, Function.identity()));
        assertThat(eventByCommand.get("a-c4").getReason())
                .contains("would have 4 shots, more than the maximum of " + MAX_SHOTS);
        assertThat(eventByCommand.get("a-c5").getReason())
                .contains("shot image 0: IMAGE_CORRUPT: ");
        assertThat(eventByCommand.get("a-c1").getEventId())
                .isEqualTo(RecordIds.controlEventId("a-c1"));

        List<AnomalyAlert> alerts = sinks.decoded(OutputTopic.ALERTS, AvroCodec.anomalyAlerts());
        assertThat(alerts)
                .extracting(AnomalyAlert::getFrameId, AnomalyAlert::getPolicy)
                .containsExactly(
                        tuple("a-f7", "1 of last 1, cooldown 10000 ms"),
                        tuple("a-f9", "2 of last 3, cooldown 0 ms"));
        for (AnomalyAlert alert : alerts) {
            assertThat(alert.getAlertId()).isEqualTo(RecordIds.alertId(a, alert.getFrameId()));
            assertThat(alert.getThreshold()).isEqualTo(threshold);
            assertThat(png(alert.getHeatmapPng())).as("heatmap is a PNG").isTrue();
        }

        List<DeadLetter> deadLetters =
                sinks.decoded(OutputTopic.DEAD_LETTERS, AvroCodec.deadLetters());
        assertThat(deadLetters)
                .extracting(DeadLetter::getOffset, DeadLetter::getReasonCode)
                .containsExactlyInAnyOrderElementsOf(
                        s.deadLetters.entrySet().stream()
                                .map(e -> tuple(e.getKey(), e.getValue().name()))
                                .collect(Collectors.toList()));
        for (DeadLetter deadLetter : deadLetters) {
            RawRecord original = s.records.get((int) deadLetter.getOffset());
            assertThat(deadLetter.getSourceTopic()).isEqualTo(original.topic());
            assertThat(deadLetter.getPartition()).isEqualTo(original.partition());
            assertThat(deadLetter.getKey() == null ? null : bytes(deadLetter.getKey()))
                    .isEqualTo(original.key());
            assertThat(deadLetter.getOriginalSize()).isEqualTo(original.value().length);
            assertThat(deadLetter.getTruncated())
                    .isEqualTo(original.value().length > DEAD_LETTER_MAX_BYTES);
            assertThat(bytes(deadLetter.getOriginalBytes()))
                    .isEqualTo(
                            Arrays.copyOf(
                                    original.value(),
                                    Math.min(original.value().length, DEAD_LETTER_MAX_BYTES)));
            assertThat(deadLetter.getReason()).isNotBlank();
        }
        Map<Long, DeadLetter> deadLetterByOffset =
                deadLetters.stream()
                        .collect(Collectors.toMap(DeadLetter::getOffset, Function.identity()));
        for (String undecodable : List.of("a-f3", "a-f4", "a-f5")) {
            long offset = s.offsetOf(undecodable);
            assertThat(deadLetterByOffset.get(offset).getReason())
                    .as(undecodable)
                    .contains("frame \"" + undecodable + "\"")
                    .contains(byFrame.get(undecodable).getFailureReason());
        }
    }

    private static boolean png(ByteBuffer data) {
        byte[] bytes = bytes(data);
        return bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G';
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
