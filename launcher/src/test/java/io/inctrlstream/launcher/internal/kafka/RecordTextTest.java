package io.inctrlstream.launcher.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlActionType;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.ScoreStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordTextTest {
    private static final Instant CAPTURED = Instant.parse("2026-01-01T10:00:00.100Z");

    private static AnomalyScore.Builder score() {
        return AnomalyScore.newBuilder()
                .setScoreId("line-1/f-1")
                .setLineId("line-1")
                .setCameraId("cam-1")
                .setFrameId("f-1")
                .setCaptureTime(CAPTURED)
                .setScoredTime(CAPTURED.plusMillis(42))
                .setStatus(ScoreStatus.SCORED)
                .setFinalScore(0.5f)
                .setHolisticScore(0.75f)
                .setPatchScore(0.25f)
                .setImageScore(0.125f)
                .setTextScore(0.625f)
                .setThreshold(0.4)
                .setAnomalous(true)
                .setShotsVersion(3)
                .setShotsHash("abc")
                .setModelId("inctrl-tiny@1")
                .setPatchGrid(2)
                .setPatchMap(List.of(0.1f, 0.2f, 0.3f, 0.4f));
    }

    @Test
    void scoreLineShowsEveryComponent() {
        assertThat(RecordText.line(score().build()))
                .isEqualTo(
                        "2026-01-01T10:00:00.100Z line-1 cam-1 f-1 SCORED final=0.5000 hl=0.7500"
                                + " s_p=0.2500 s_i=0.1250 s_a=0.6250 threshold=0.4000 ANOMALOUS"
                                + " shots=v3 latency=42ms model=inctrl-tiny@1");
    }

    @Test
    void failedAndNoReferenceScoresSayWhy() {
        AnomalyScore failed =
                score().setStatus(ScoreStatus.FAILED)
                        .setFailureReason("IMAGE_CORRUPT: truncated")
                        .setFinalScore(null)
                        .setAnomalous(false)
                        .build();
        AnomalyScore noReference =
                score().setStatus(ScoreStatus.NO_REFERENCE)
                        .setFinalScore(null)
                        .setAnomalous(false)
                        .setShotsVersion(0)
                        .build();

        assertThat(RecordText.line(failed))
                .contains("f-1 FAILED: IMAGE_CORRUPT: truncated shots=v3");
        assertThat(RecordText.line(noReference)).contains("f-1 NO_REFERENCE shots=v0");
    }

    @Test
    void alertEventAndDeadLetterLines() {
        AnomalyAlert alert =
                AnomalyAlert.newBuilder()
                        .setAlertId("line-1/f-1/alert")
                        .setLineId("line-1")
                        .setCameraId("cam-1")
                        .setFrameId("f-1")
                        .setCaptureTime(CAPTURED)
                        .setFinalScore(0.5f)
                        .setThreshold(0.4)
                        .setPolicy("1 of last 1, cooldown 2000 ms")
                        .setHeatmapPng(ByteBuffer.wrap(new byte[10]))
                        .setShotsVersion(3)
                        .build();
        ControlEvent rejected =
                ControlEvent.newBuilder()
                        .setEventId("cmd-1/event")
                        .setCommandId("cmd-1")
                        .setLineId("line-1")
                        .setActionType(ControlActionType.ADD_SHOTS)
                        .setOutcome(ControlOutcome.REJECTED)
                        .setReason("too many shots")
                        .setShotsVersion(2)
                        .setShotCount(1)
                        .setAppliedTime(CAPTURED)
                        .build();
        DeadLetter deadLetter =
                DeadLetter.newBuilder()
                        .setSourceTopic("frames")
                        .setPartition(1)
                        .setOffset(42)
                        .setKey(ByteBuffer.wrap("line-1".getBytes(StandardCharsets.UTF_8)))
                        .setReasonCode("NOT_SINGLE_OBJECT")
                        .setReason("not Avro")
                        .setReceivedTime(CAPTURED)
                        .setOriginalBytes(ByteBuffer.wrap(new byte[4]))
                        .setOriginalSize(19)
                        .setTruncated(true)
                        .build();

        assertThat(RecordText.line(alert))
                .isEqualTo(
                        "2026-01-01T10:00:00.100Z ALERT line-1 cam-1 f-1 final=0.5000"
                                + " threshold=0.4000 policy=\"1 of last 1, cooldown 2000 ms\""
                                + " heatmap=10 bytes shots=v3");
        assertThat(RecordText.line(rejected))
                .isEqualTo(
                        "2026-01-01T10:00:00.100Z line-1 cmd-1 ADD_SHOTS REJECTED: too many shots"
                                + " shots=v2 (1 shot)");
        assertThat(RecordText.line(deadLetter))
                .isEqualTo(
                        "2026-01-01T10:00:00.100Z frames[1]@42 key=line-1 NOT_SINGLE_OBJECT: not"
                                + " Avro (19 bytes, truncated)");
    }

    @Test
    void jsonHasEveryFieldWithTimesEnumsAndBytesReadable() throws Exception {
        AnomalyAlert alert =
                AnomalyAlert.newBuilder()
                        .setAlertId("line-1/f-1/alert")
                        .setLineId("line-1")
                        .setCameraId("cam-1")
                        .setFrameId("f-1")
                        .setCaptureTime(CAPTURED)
                        .setFinalScore(0.5f)
                        .setThreshold(0.4)
                        .setPolicy("p")
                        .setHeatmapPng(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setShotsVersion(3)
                        .build();
        ObjectMapper mapper = new ObjectMapper();

        JsonNode plain = mapper.readTree(RecordText.json(alert, false));
        JsonNode withBytes = mapper.readTree(RecordText.json(alert, true));
        JsonNode scoreJson = mapper.readTree(RecordText.json(score().build(), false));

        assertThat(plain.path("captureTime").asText()).isEqualTo("2026-01-01T10:00:00.100Z");
        assertThat(plain.path("heatmapPng").path("bytes").asInt()).isEqualTo(3);
        assertThat(plain.path("heatmapPng").has("base64")).isFalse();
        assertThat(withBytes.path("heatmapPng").path("base64").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        assertThat(scoreJson.path("status").asText()).isEqualTo("SCORED");
        assertThat(scoreJson.path("patchMap")).hasSize(4);
        assertThat(scoreJson.path("failureReason").isNull()).isTrue();
        assertThat(scoreJson.size()).isEqualTo(score().build().getSchema().getFields().size());
    }
}
