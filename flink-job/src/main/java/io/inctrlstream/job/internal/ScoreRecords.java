package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.FrameScore;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The {@link AnomalyScore} record of a frame's result, with its deterministic score id. */
public final class ScoreRecords implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String modelId;

    public ScoreRecords(String modelId) {
        this.modelId = Objects.requireNonNull(modelId, "modelId");
    }

    public AnomalyScore of(FrameScore score) {
        boolean scored = score.status() == io.inctrlstream.job.inference.ScoreStatus.SCORED;
        float[] patchMap = scored && score.patchMap() != null ? score.patchMap() : new float[0];
        return AnomalyScore.newBuilder()
                .setScoreId(RecordIds.scoreId(score.lineId(), score.frameId()))
                .setLineId(score.lineId())
                .setCameraId(score.cameraId())
                .setFrameId(score.frameId())
                .setCaptureTime(Instant.ofEpochMilli(score.captureTimeMillis()))
                .setScoredTime(Instant.ofEpochMilli(score.scoredTimeMillis()))
                .setStatus(ScoreStatus.valueOf(score.status().name()))
                .setFailureReason(score.failureReason())
                .setFinalScore(score.finalScore())
                .setHolisticScore(score.holisticScore())
                .setPatchScore(score.patchScore())
                .setImageScore(score.imageScore())
                .setTextScore(score.textScore())
                .setThreshold(score.threshold())
                .setAnomalous(score.anomalous())
                .setShotsVersion(score.shotsVersion())
                .setShotsHash(score.shotsHash())
                .setModelId(modelId)
                .setPatchGrid(patchGrid(patchMap))
                .setPatchMap(floats(patchMap))
                .build();
    }

    /** The side of the square grid of {@code patchMap}, 0 for an empty map. */
    static int patchGrid(float[] patchMap) {
        int grid = (int) Math.round(Math.sqrt(patchMap.length));
        if (grid * grid != patchMap.length) {
            throw new IllegalArgumentException(
                    "a patch map must cover a square grid, found " + patchMap.length + " values");
        }
        return grid;
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(value);
        }
        return list;
    }
}
