package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.engine.EngineInferenceBackendFactory;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.schema.AnomalyScore;
import java.util.ArrayList;
import java.util.List;

/** Assertions and views on the score records the job wrote. */
final class Scores {
    private Scores() {}

    /** The model id the job writes into scores: the test bundle's {@code name@version}. */
    static String modelId() {
        try {
            return new EngineInferenceBackendFactory(
                            EngineBackendSettings.builder(JobUnderTest.bundle().toString()).build())
                    .modelId();
        } catch (ModelException e) {
            throw new IllegalStateException("cannot read the test bundle's manifest", e);
        }
    }

    /**
     * Asserts that repeated scores of one frame (written again after a restore) are the same
     * record, but for the time each was scored.
     */
    static void assertIdenticalCopies(List<AnomalyScore> copies) {
        AnomalyScore first = withoutScoredTime(copies.get(0));
        for (AnomalyScore copy : copies) {
            assertThat(withoutScoredTime(copy))
                    .as("a repeated score of %s", copy.getScoreId())
                    .isEqualTo(first);
        }
    }

    private static AnomalyScore withoutScoredTime(AnomalyScore score) {
        return AnomalyScore.newBuilder(score).setScoredTime(java.time.Instant.EPOCH).build();
    }

    /** The frame ids of a line's scores, in the order read, each once (at its first score). */
    static List<String> distinctFrameIdsInOrder(List<AnomalyScore> scores, String lineId) {
        List<String> ids = new ArrayList<>();
        for (AnomalyScore score : scores) {
            if (score.getLineId().equals(lineId) && !ids.contains(score.getFrameId())) {
                ids.add(score.getFrameId());
            }
        }
        return ids;
    }
}
