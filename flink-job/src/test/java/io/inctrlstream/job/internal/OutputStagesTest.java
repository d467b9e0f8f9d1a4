package io.inctrlstream.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.inference.AlertPolicy;
import io.inctrlstream.job.inference.CommandAction;
import io.inctrlstream.job.inference.CommandOrigin;
import io.inctrlstream.job.inference.CommandOutcome;
import io.inctrlstream.job.inference.CommandStatus;
import io.inctrlstream.job.inference.FrameScore;
import io.inctrlstream.job.inference.ImageFailure;
import io.inctrlstream.job.inference.LineOutput;
import io.inctrlstream.job.inference.RecordProvenance;
import io.inctrlstream.job.inference.ScoreStatus;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlActionType;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The stages after the inference operator: score and event records, and alerts. */
class OutputStagesTest {
    private static final AlertPolicy DEFAULT_POLICY = new AlertPolicy(1, 1, 60_000);
    private static final float[] MAP = new float[225];
    private static final byte[] HEATMAP = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    static {
        for (int i = 0; i < MAP.length; i++) {
            MAP[i] = i / 225f;
        }
    }

    private static FrameScore scored(
            String line,
            String frame,
            long capture,
            float score,
            AlertPolicy policy,
            byte[] heatmap) {
        return new FrameScore(
                line,
                "cam",
                frame,
                capture,
                capture + 5,
                ScoreStatus.SCORED,
                null,
                score,
                0.1f,
                0.2f,
                0.3f,
                0.4f,
                MAP,
                0.5,
                score >= 0.5,
                3,
                "candle",
                policy,
                1,
                heatmap,
                "hash-3",
                null,
                null);
    }

    private static FrameScore unscored(
            String line, String frame, ScoreStatus status, String reason) {
        return new FrameScore(
                line, "cam", frame, 10, 15, status, reason, null, null, null, null, null, null, 0.5,
                false, 0, null, null, 0, null, null, null, null);
    }

    @Test
    void scoresAndCommandOutcomesBecomeTheirRecordsKeyedByLine() throws Exception {
        OneInputStreamOperatorTestHarness<LineOutput, OutboundRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new OutputEncoder("tiny@1"));
        harness.processElement(LineOutput.of(scored("line/1", "f%1", 100, 0.75f, null, null)), 1L);
        harness.processElement(
                LineOutput.of(unscored("line/1", "f2", ScoreStatus.FAILED, "IMAGE_CORRUPT: cut")),
                2L);
        harness.processElement(
                LineOutput.of(
                        new CommandOutcome(
                                "c-1",
                                "line/1",
                                CommandAction.ADD_SHOTS,
                                "me",
                                50,
                                CommandStatus.REJECTED,
                                "too many",
                                3,
                                2,
                                77,
                                new CommandOrigin("User:alice", "key-1", null))),
                3L);

        List<OutboundRecord> records = harness.extractOutputValues();
        assertThat(records)
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(RecordIds.lineKey("line/1")));
        AnomalyScore score = AvroCodec.anomalyScores().decode(records.get(0).value());
        assertThat(score.getScoreId()).isEqualTo("line%2F1/f%251");
        assertThat(score.getCaptureTime()).isEqualTo(Instant.ofEpochMilli(100));
        assertThat(score.getScoredTime()).isEqualTo(Instant.ofEpochMilli(105));
        assertThat(score.getStatus()).isEqualTo(io.inctrlstream.schema.ScoreStatus.SCORED);
        assertThat(score.getFinalScore()).isEqualTo(0.75f);
        assertThat(score.getHolisticScore()).isEqualTo(0.1f);
        assertThat(score.getPatchScore()).isEqualTo(0.2f);
        assertThat(score.getImageScore()).isEqualTo(0.3f);
        assertThat(score.getTextScore()).isEqualTo(0.4f);
        assertThat(score.getThreshold()).isEqualTo(0.5);
        assertThat(score.getAnomalous()).isTrue();
        assertThat(score.getShotsVersion()).isEqualTo(3);
        assertThat(score.getShotsHash()).isEqualTo("hash-3");
        assertThat(score.getModelId()).isEqualTo("tiny@1");
        assertThat(score.getPatchGrid()).isEqualTo(15);
        assertThat(score.getPatchMap()).hasSize(225).element(224).isEqualTo(224 / 225f);

        AnomalyScore failed = AvroCodec.anomalyScores().decode(records.get(1).value());
        assertThat(failed.getStatus()).isEqualTo(io.inctrlstream.schema.ScoreStatus.FAILED);
        assertThat(failed.getFailureReason()).isEqualTo("IMAGE_CORRUPT: cut");
        assertThat(failed.getFinalScore()).isNull();
        assertThat(failed.getPatchGrid()).isZero();
        assertThat(failed.getPatchMap()).isEmpty();

        List<ControlEvent> events = new ArrayList<>();
        for (StreamRecord<OutboundRecord> record :
                harness.getSideOutput(OutputEncoder.CONTROL_EVENTS)) {
            assertThat(record.getValue().key()).isEqualTo(RecordIds.lineKey("line/1"));
            events.add(AvroCodec.controlEvents().decode(record.getValue().value()));
        }
        assertThat(events).hasSize(1);
        ControlEvent event = events.get(0);
        assertThat(event.getEventId()).isEqualTo("c-1/event");
        assertThat(event.getActionType()).isEqualTo(ControlActionType.ADD_SHOTS);
        assertThat(event.getOutcome()).isEqualTo(ControlOutcome.REJECTED);
        assertThat(event.getReason()).isEqualTo("too many");
        assertThat(event.getShotsVersion()).isEqualTo(3);
        assertThat(event.getShotCount()).isEqualTo(2);
        assertThat(event.getAppliedTime()).isEqualTo(Instant.ofEpochMilli(77));
        harness.close();
    }

    private static FrameScore imageFailed(
            String line, String frame, ImageFailure failure, RecordProvenance provenance) {
        return new FrameScore(
                line,
                "cam",
                frame,
                10,
                15,
                ScoreStatus.FAILED,
                failure + ": the decoder says why",
                null,
                null,
                null,
                null,
                null,
                null,
                0.5,
                false,
                2,
                null,
                null,
                1,
                null,
                null,
                failure,
                provenance);
    }

    @Test
    void aFrameWhoseImageDidNotDecodeGetsItsFailedScoreAndADeadLetterOfItsRecord()
            throws Exception {
        byte[] key = {'k', 1};
        byte[] prefix = {(byte) 0xC3, 1, 9, 9};
        RecordProvenance provenance =
                new RecordProvenance("frames", 4, 1234L, key, prefix, 900, 42L);
        OneInputStreamOperatorTestHarness<LineOutput, OutboundRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new OutputEncoder("tiny@1"));
        harness.processElement(
                LineOutput.of(
                        imageFailed("line-1", "f1", ImageFailure.IMAGE_TOO_LARGE, provenance)),
                1L);

        List<OutboundRecord> scores = harness.extractOutputValues();
        assertThat(scores).hasSize(1);
        AnomalyScore score = AvroCodec.anomalyScores().decode(scores.get(0).value());
        assertThat(score.getStatus()).isEqualTo(io.inctrlstream.schema.ScoreStatus.FAILED);
        assertThat(score.getFailureReason()).isEqualTo("IMAGE_TOO_LARGE: the decoder says why");
        assertThat(scores.get(0).key()).isEqualTo(RecordIds.lineKey("line-1"));

        List<OutboundRecord> letters = new ArrayList<>();
        for (StreamRecord<OutboundRecord> record :
                harness.getSideOutput(OutputEncoder.DEAD_LETTERS)) {
            letters.add(record.getValue());
        }
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).key()).as("keyed by the record's own key").isEqualTo(key);
        DeadLetter letter = AvroCodec.deadLetters().decode(letters.get(0).value());
        assertThat(letter.getSourceTopic()).isEqualTo("frames");
        assertThat(letter.getPartition()).isEqualTo(4);
        assertThat(letter.getOffset()).isEqualTo(1234L);
        assertThat(bytes(letter.getKey())).isEqualTo(key);
        assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.IMAGE_TOO_LARGE.name());
        assertThat(letter.getReason())
                .isEqualTo(
                        "the image of frame \"f1\" of line \"line-1\" does not decode:"
                                + " IMAGE_TOO_LARGE: the decoder says why");
        assertThat(letter.getReceivedTime()).isEqualTo(Instant.ofEpochMilli(42));
        assertThat(bytes(letter.getOriginalBytes())).isEqualTo(prefix);
        assertThat(letter.getOriginalSize()).isEqualTo(900);
        assertThat(letter.getTruncated()).isTrue();
        harness.close();
    }

    @Test
    void otherFailuresAndFramesWithoutProvenanceGetNoDeadLetter() throws Exception {
        OneInputStreamOperatorTestHarness<LineOutput, OutboundRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new OutputEncoder("tiny@1"));
        harness.processElement(
                LineOutput.of(
                        unscored(
                                "line-1",
                                "f1",
                                ScoreStatus.FAILED,
                                "inference failed after 3 attempts: IOException: device lost")),
                1L);
        harness.processElement(
                LineOutput.of(imageFailed("line-1", "f2", ImageFailure.IMAGE_CORRUPT, null)), 2L);
        harness.processElement(
                LineOutput.of(unscored("line-1", "f3", ScoreStatus.NO_REFERENCE, null)), 3L);

        assertThat(harness.extractOutputValues()).hasSize(3);
        assertThat(harness.getSideOutput(OutputEncoder.DEAD_LETTERS)).isNullOrEmpty();
        harness.close();
    }

    @Test
    void everyImageFailureHasItsDeadLetterReason() {
        for (ImageFailure failure : ImageFailure.values()) {
            DeadLetterReason reason = DeadLetters.reasonOf(failure);
            assertThat(reason.name()).isEqualTo(failure.name());
            assertThat(reason.isImageFailure()).as(reason.name()).isTrue();
        }
        assertThat(DeadLetterReason.values())
                .filteredOn(DeadLetterReason::isImageFailure)
                .hasSize(ImageFailure.values().length);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LineOutput, OutboundRecord>
            alertHarness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new AlertFunction(DEFAULT_POLICY, 256), new LineOutputKeySelector(), Types.STRING);
    }

    private static List<AnomalyAlert> alerts(
            KeyedOneInputStreamOperatorTestHarness<String, LineOutput, OutboundRecord> harness)
            throws Exception {
        List<AnomalyAlert> alerts = new ArrayList<>();
        for (OutboundRecord record : harness.extractOutputValues()) {
            alerts.add(AvroCodec.anomalyAlerts().decode(record.value()));
        }
        return alerts;
    }

    @Test
    void alertsCarryIdsPolicyAndTheBackendsHeatmap() throws Exception {
        var harness = alertHarness();
        harness.processElement(
                LineOutput.of(scored("line-1", "f1", 1_000, 0.9f, null, HEATMAP)), 1L);

        AnomalyAlert alert = alerts(harness).get(0);
        assertThat(alert.getAlertId()).isEqualTo("line-1/f1/alert");
        assertThat(alert.getLineId()).isEqualTo("line-1");
        assertThat(alert.getCameraId()).isEqualTo("cam");
        assertThat(alert.getFrameId()).isEqualTo("f1");
        assertThat(alert.getCaptureTime()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(alert.getFinalScore()).isEqualTo(0.9f);
        assertThat(alert.getThreshold()).isEqualTo(0.5);
        assertThat(alert.getPolicy()).isEqualTo("1 of last 1, cooldown 60000 ms");
        assertThat(alert.getHeatmapPng()).isEqualTo(ByteBuffer.wrap(HEATMAP));
        assertThat(alert.getShotsVersion()).isEqualTo(3);
        harness.close();
    }

    @Test
    void withoutABackendHeatmapTheAlertCarriesThePatchMapAlone() throws Exception {
        var harness = alertHarness();
        harness.processElement(LineOutput.of(scored("line-1", "f1", 1_000, 0.9f, null, null)), 1L);

        ByteBuffer png = alerts(harness).get(0).getHeatmapPng();
        byte[] bytes = new byte[png.remaining()];
        png.get(bytes);
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        assertThat(image.getWidth()).isEqualTo(15 * 16);
        harness.close();
    }

    @Test
    void eachLineKeepsItsOwnWindowAndTheScoresPolicyWinsOverTheDefault() throws Exception {
        var harness = alertHarness();
        AlertPolicy twoOfThree = new AlertPolicy(2, 3, 0);
        harness.processElement(
                LineOutput.of(scored("line-1", "a1", 0, 0.9f, twoOfThree, null)), 1L);
        harness.processElement(LineOutput.of(scored("line-2", "b1", 0, 0.9f, null, null)), 1L);
        harness.processElement(
                LineOutput.of(unscored("line-1", "a2", ScoreStatus.NO_REFERENCE, null)), 1L);
        harness.processElement(
                LineOutput.of(scored("line-1", "a3", 10, 0.2f, twoOfThree, null)), 1L);
        harness.processElement(LineOutput.of(scored("line-2", "b2", 10, 0.9f, null, null)), 1L);
        harness.processElement(
                LineOutput.of(scored("line-1", "a4", 20, 0.9f, twoOfThree, null)), 1L);
        harness.processElement(
                LineOutput.of(
                        new CommandOutcome(
                                "c",
                                "line-1",
                                CommandAction.CLEAR_SHOTS,
                                "me",
                                0,
                                CommandStatus.APPLIED,
                                null,
                                4,
                                0,
                                0,
                                CommandOrigin.UNATTRIBUTED)),
                1L);

        assertThat(alerts(harness))
                .extracting(AnomalyAlert::getFrameId)
                .as("b2 is within line-2's default cooldown; a4 makes 2 of a1, a3, a4")
                .containsExactly("b1", "a4");
        harness.close();
    }

    @Test
    void theAlertWindowSurvivesASnapshotAndRestore() throws Exception {
        var harness = alertHarness();
        AlertPolicy twoOfTwo = new AlertPolicy(2, 2, 0);
        harness.processElement(LineOutput.of(scored("line-1", "a1", 0, 0.9f, twoOfTwo, null)), 1L);
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AlertFunction(DEFAULT_POLICY, 256)),
                        new LineOutputKeySelector(),
                        Types.STRING);
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(
                LineOutput.of(scored("line-1", "a2", 10, 0.9f, twoOfTwo, null)), 2L);

        assertThat(alerts(restored)).extracting(AnomalyAlert::getFrameId).containsExactly("a2");
        restored.close();
    }
}
