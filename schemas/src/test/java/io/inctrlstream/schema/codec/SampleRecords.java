package io.inctrlstream.schema.codec;

import io.inctrlstream.schema.AddShots;
import io.inctrlstream.schema.AlertPolicy;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ClearShots;
import io.inctrlstream.schema.ControlActionType;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.LineState;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.RecordPosition;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.SetAlertPolicy;
import io.inctrlstream.schema.SetCategory;
import io.inctrlstream.schema.SetShots;
import io.inctrlstream.schema.SetThreshold;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records of every type with every optional part filled in or left out, for the codec tests. */
final class SampleRecords {
    /** Avro timestamp-millis keeps milliseconds: sample times have no finer part. */
    static final Instant CAPTURED = Instant.ofEpochMilli(1_764_316_800_123L);

    private SampleRecords() {}

    static FrameImage image(ImageEncoding encoding, int width, int height) {
        int channels = encoding == ImageEncoding.RGB8 ? 3 : 1;
        byte[] pixels = new byte[width * height * channels];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31 + width);
        }
        return FrameImage.newBuilder()
                .setEncoding(encoding)
                .setWidth(width)
                .setHeight(height)
                .setData(ByteBuffer.wrap(pixels))
                .build();
    }

    static Frame frame() {
        return Frame.newBuilder()
                .setLineId("line-7")
                .setCameraId("cam-2")
                .setFrameId("f-000123")
                .setCaptureTime(CAPTURED)
                .setProductCategory("candle")
                .setImage(image(ImageEncoding.RGB8, 8, 6))
                .setAttributes(Map.of("station", "3", "exposure", "1/250"))
                .build();
    }

    static Frame frameWithoutOptionalParts() {
        return Frame.newBuilder(frame())
                .setProductCategory(null)
                .setImage(image(ImageEncoding.GRAY8, 4, 4))
                .setAttributes(Map.of())
                .build();
    }

    /** One command per action variant, SetShots both with and without a category. */
    static List<ControlCommand> commandsOfEveryAction() {
        List<Object> actions =
                List.of(
                        SetShots.newBuilder()
                                .setImages(
                                        List.of(
                                                image(ImageEncoding.RGB8, 3, 2),
                                                image(ImageEncoding.GRAY8, 2, 2)))
                                .setCategory("candle")
                                .build(),
                        SetShots.newBuilder()
                                .setImages(List.of(image(ImageEncoding.RGB8, 2, 2)))
                                .setCategory(null)
                                .build(),
                        AddShots.newBuilder()
                                .setImages(List.of(image(ImageEncoding.GRAY8, 5, 1)))
                                .build(),
                        ClearShots.newBuilder().build(),
                        SetThreshold.newBuilder().setThreshold(0.625).build(),
                        SetCategory.newBuilder().setCategory("pcb").build(),
                        SetAlertPolicy.newBuilder()
                                .setPolicy(
                                        AlertPolicy.newBuilder()
                                                .setMinAnomalous(3)
                                                .setWindow(5)
                                                .setCooldownMillis(10_000L)
                                                .build())
                                .build());
        List<ControlCommand> commands = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            commands.add(
                    ControlCommand.newBuilder()
                            .setCommandId("cmd-" + i)
                            .setLineId("line-7")
                            .setIssuedAt(CAPTURED.plusMillis(i))
                            .setIssuedBy("operator@plant")
                            .setAction(actions.get(i))
                            .build());
        }
        return commands;
    }

    static AnomalyScore scoredScore() {
        List<Float> patchMap = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            patchMap.add(i / 9f);
        }
        return AnomalyScore.newBuilder()
                .setScoreId(RecordIds.scoreId("line-7", "f-000123"))
                .setLineId("line-7")
                .setCameraId("cam-2")
                .setFrameId("f-000123")
                .setCaptureTime(CAPTURED)
                .setScoredTime(CAPTURED.plusMillis(42))
                .setStatus(ScoreStatus.SCORED)
                .setFailureReason(null)
                .setFinalScore(0.75f)
                .setHolisticScore(0.7f)
                .setPatchScore(0.8f)
                .setImageScore(0.3f)
                .setTextScore(0.6f)
                .setThreshold(0.5)
                .setAnomalous(true)
                .setShotsVersion(4L)
                .setShotsHash("sha256:abc123")
                .setModelId("inctrl-tiny@1")
                .setPatchGrid(3)
                .setPatchMap(patchMap)
                .build();
    }

    static AnomalyScore noReferenceScore() {
        return AnomalyScore.newBuilder(scoredScore())
                .setStatus(ScoreStatus.NO_REFERENCE)
                .setFinalScore(null)
                .setHolisticScore(null)
                .setPatchScore(null)
                .setImageScore(null)
                .setTextScore(null)
                .setThreshold(null)
                .setAnomalous(false)
                .setShotsVersion(0L)
                .setShotsHash(null)
                .setPatchGrid(0)
                .setPatchMap(List.of())
                .build();
    }

    static AnomalyScore failedScore() {
        return AnomalyScore.newBuilder(noReferenceScore())
                .setStatus(ScoreStatus.FAILED)
                .setFailureReason("INFERENCE_FAILED: timed out after 3 attempts")
                .setThreshold(0.5)
                .setShotsVersion(4L)
                .build();
    }

    static AnomalyAlert alert() {
        return AnomalyAlert.newBuilder()
                .setAlertId(RecordIds.alertId("line-7", "f-000123"))
                .setLineId("line-7")
                .setCameraId("cam-2")
                .setFrameId("f-000123")
                .setCaptureTime(CAPTURED)
                .setFinalScore(0.75f)
                .setThreshold(0.5)
                .setPolicy("3 of last 5, cooldown 10000 ms")
                .setHeatmapPng(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}))
                .setShotsVersion(4L)
                .build();
    }

    static ControlEvent appliedEvent() {
        return ControlEvent.newBuilder()
                .setEventId(RecordIds.controlEventId("cmd-0"))
                .setCommandId("cmd-0")
                .setLineId("line-7")
                .setActionType(ControlActionType.SET_SHOTS)
                .setOutcome(ControlOutcome.APPLIED)
                .setReason(null)
                .setShotsVersion(5L)
                .setShotCount(2)
                .setAppliedTime(CAPTURED.plusMillis(7))
                .build();
    }

    static ControlEvent rejectedEvent() {
        return ControlEvent.newBuilder(appliedEvent())
                .setActionType(ControlActionType.UNKNOWN)
                .setOutcome(ControlOutcome.REJECTED)
                .setReason("threshold must be in [0, 1], found 1.5")
                .setShotsVersion(4L)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("frames")
                .setPartition(3)
                .setOffset(123_456_789_012L)
                .setKey(ByteBuffer.wrap(RecordIds.lineKey("line-7")))
                .setReasonCode("NOT_SINGLE_OBJECT")
                .setReason("expected Avro single-object encoding of a Frame")
                .setReceivedTime(CAPTURED.plusMillis(1))
                .setOriginalBytes(
                        ByteBuffer.wrap("{\"json\":true".getBytes(StandardCharsets.UTF_8)))
                .setOriginalSize(4096)
                .setTruncated(true)
                .build();
    }

    static DeadLetter deadLetterWithoutKey() {
        return DeadLetter.newBuilder(deadLetter())
                .setKey(null)
                .setOriginalSize(12)
                .setTruncated(false)
                .build();
    }

    static LineState lineState() {
        byte[] bank = new byte[300];
        for (int i = 0; i < bank.length; i++) {
            bank[i] = (byte) (i * 7);
        }
        return LineState.newBuilder()
                .setLineId("line-7")
                .setModelId("inctrl-tiny@1")
                .setShotsVersion(3L)
                .setShotCount(2)
                .setBank(ByteBuffer.wrap(bank))
                .setShots(
                        List.of(image(ImageEncoding.GRAY8, 4, 3), image(ImageEncoding.RGB8, 2, 2)))
                .setCategory("candle")
                .setThreshold(0.42)
                .setAlertPolicy(
                        AlertPolicy.newBuilder()
                                .setMinAnomalous(2)
                                .setWindow(5)
                                .setCooldownMillis(10_000L)
                                .build())
                .setRecentCommandIds(List.of("cmd-1", "cmd-2", "cmd-3"))
                .setLastControl(
                        RecordPosition.newBuilder()
                                .setTopic("control")
                                .setPartition(1)
                                .setOffset(4_242L)
                                .build())
                .setUpdatedTime(CAPTURED.plusMillis(9))
                .build();
    }

    /** A line that cleared its shots and never set a category, policy or known position. */
    static LineState lineStateWithoutOptionalParts() {
        return LineState.newBuilder(lineState())
                .setShotCount(0)
                .setBank(null)
                .setShots(null)
                .setCategory(null)
                .setAlertPolicy(null)
                .setRecentCommandIds(List.of())
                .setLastControl(null)
                .build();
    }
}
