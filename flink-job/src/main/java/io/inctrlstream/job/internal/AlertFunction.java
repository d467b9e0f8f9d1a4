package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.AlertPolicy;
import io.inctrlstream.job.inference.FrameScore;
import io.inctrlstream.job.inference.LineOutput;
import io.inctrlstream.job.inference.ScoreStatus;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The alerting stage, keyed by line: applies to each scored frame the alert policy its score
 * carries (the line's, or the job's default) over the line's recent scored frames kept in keyed
 * state, and emits an {@link AnomalyAlert} (deterministic alert id, heatmap PNG) for each frame
 * that fires it. Frames without a score (no reference, failed) neither count nor alert.
 *
 * <p>Metrics: {@code alerts} and {@code anomalousFrames} in total, and per line in the group {@code
 * line} for at most {@code maxLinesWithMetrics} lines with shots (removed when a command leaves the
 * line without shots).
 */
public final class AlertFunction extends KeyedProcessFunction<String, LineOutput, OutboundRecord> {
    private static final long serialVersionUID = 1L;

    static final String STATE_NAME = "line-alert-window";

    // AlertPolicy is not Serializable: the function keeps its parts.
    private final int defaultAnomalousFrames;
    private final int defaultWindowFrames;
    private final long defaultCooldownMillis;
    private final int maxLinesWithMetrics;
    private final AvroCodec<AnomalyAlert> codec = AvroCodec.anomalyAlerts();
    private transient AlertPolicy defaultPolicy;
    private transient ValueState<AlertState> state;
    private transient AlertMetrics metrics;

    public AlertFunction(AlertPolicy defaultPolicy, int maxLinesWithMetrics) {
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        if (maxLinesWithMetrics < 0) {
            throw new IllegalArgumentException(
                    "the most lines with metrics must not be negative, found "
                            + maxLinesWithMetrics);
        }
        this.maxLinesWithMetrics = maxLinesWithMetrics;
        this.defaultAnomalousFrames = defaultPolicy.anomalousFrames();
        this.defaultWindowFrames = defaultPolicy.windowFrames();
        this.defaultCooldownMillis = defaultPolicy.cooldownMillis();
        defaultPolicy
                .problem()
                .ifPresent(
                        problem -> {
                            throw new IllegalArgumentException("default " + problem);
                        });
    }

    @Override
    public void open(OpenContext openContext) {
        defaultPolicy =
                new AlertPolicy(defaultAnomalousFrames, defaultWindowFrames, defaultCooldownMillis);
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        STATE_NAME, AlertStateSerializer.INSTANCE));
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup(), maxLinesWithMetrics);
    }

    @Override
    public void processElement(LineOutput output, Context context, Collector<OutboundRecord> out)
            throws Exception {
        if (!output.isScore()) {
            if (output.outcome().shotCount() == 0) {
                metrics.lineWithoutShots(output.lineId());
            }
            return;
        }
        FrameScore score = output.score();
        if (score.status() != ScoreStatus.SCORED) {
            return;
        }
        if (score.anomalous()) {
            metrics.anomalousFrame(score.lineId());
        }
        AlertPolicy policy = score.alertPolicy() != null ? score.alertPolicy() : defaultPolicy;
        AlertState current = state.value();
        AlertState.Step step =
                (current == null ? AlertState.initial() : current)
                        .next(score.anomalous(), score.captureTimeMillis(), policy);
        state.update(step.state());
        if (step.fire()) {
            metrics.alert(score.lineId());
            out.collect(
                    new OutboundRecord(
                            RecordIds.lineKey(score.lineId()), codec.encode(alert(score, policy))));
        }
    }

    private static AnomalyAlert alert(FrameScore score, AlertPolicy policy) {
        return AnomalyAlert.newBuilder()
                .setAlertId(RecordIds.alertId(score.lineId(), score.frameId()))
                .setLineId(score.lineId())
                .setCameraId(score.cameraId())
                .setFrameId(score.frameId())
                .setCaptureTime(Instant.ofEpochMilli(score.captureTimeMillis()))
                .setFinalScore(score.finalScore())
                .setThreshold(score.threshold())
                .setPolicy(AlertState.describe(policy))
                .setHeatmapPng(ByteBuffer.wrap(heatmap(score)))
                .setShotsVersion(score.shotsVersion())
                .build();
    }

    /** The backend's heatmap, or the patch map alone when the backend rendered none. */
    private static byte[] heatmap(FrameScore score) {
        if (score.heatmapPng() != null && score.heatmapPng().length > 0) {
            return score.heatmapPng();
        }
        return HeatmapFallback.render(score.patchMap() == null ? new float[0] : score.patchMap());
    }
}
