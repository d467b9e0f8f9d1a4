package io.inctrlstream.launcher.internal.demo;

/**
 * One line's figures at one moment, as the live view shows them.
 *
 * @param lineId the line
 * @param product what the line makes (its category)
 * @param threshold the line's anomaly threshold
 * @param framesSent frames its camera sent
 * @param defectsInjected frames sent with a simulated defect
 * @param scored frames scored
 * @param noReference frames answered "no reference yet"
 * @param failed frames whose scoring failed
 * @param anomalous scored frames at or above the threshold
 * @param anomalousOnDefects anomalous frames that had an injected defect
 * @param alerts alerts raised
 * @param alertsOnDefects alerts on frames that had an injected defect
 * @param framesPerSecond scores received per second, recently
 * @param latencyP50Millis median capture-to-score latency, recently; -1 if none yet
 * @param latencyP95Millis 95th percentile of the same; -1 if none yet
 * @param lastScore the latest final score, or NaN if none yet
 * @param lastAnomalous whether the latest scored frame was anomalous
 * @param droppedAtCamera frames the camera skipped because the job was behind (not sent)
 * @param deadLetters frames sent that became dead letters without a score
 * @param duplicates answers seen again for an answered frame (replays after a restart), not counted
 *     above
 */
public record LineSnapshot(
        String lineId,
        String product,
        double threshold,
        long framesSent,
        long defectsInjected,
        long scored,
        long noReference,
        long failed,
        long anomalous,
        long anomalousOnDefects,
        long alerts,
        long alertsOnDefects,
        double framesPerSecond,
        long latencyP50Millis,
        long latencyP95Millis,
        double lastScore,
        boolean lastAnomalous,
        long droppedAtCamera,
        long deadLetters,
        long duplicates) {

    /** Frames answered in any way (scored, no reference, failed). */
    public long answered() {
        return scored + noReference + failed;
    }

    /** Frames sent and not answered (no score, no dead letter): still in flight, or lost. */
    public long unscored() {
        return Math.max(0, framesSent - answered() - deadLetters);
    }
}
