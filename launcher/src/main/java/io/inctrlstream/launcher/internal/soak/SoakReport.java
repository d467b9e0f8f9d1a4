package io.inctrlstream.launcher.internal.soak;

import java.util.List;
import java.util.Locale;

/**
 * What a soak found: its settings, the rows over time, the final frame account and the maxima, and
 * whether every frame sent was scored exactly once while the job kept running (written as JSON by
 * {@code --json}).
 *
 * @param modelId the bundle's model id
 * @param lines production lines
 * @param shotsPerLine shots each line registered
 * @param fps frames per second per line offered
 * @param durationSeconds how long the cameras ran
 * @param failEverySeconds seconds between injected failures, 0 for none
 * @param samples the rows, in time order
 * @param frames the final frame account
 * @param failuresInjected task failures injected
 * @param restarts job restarts
 * @param checkpointsCompleted checkpoints completed
 * @param checkpointsFailed checkpoints failed
 * @param checkpointMillisMedian median checkpoint duration
 * @param checkpointMillisMax longest checkpoint
 * @param checkpointBytesMax largest checkpointed state
 * @param heapAfterGcMaxBytes most heap retained after a collection in any row
 * @param heapUsedMaxBytes most heap used in any row
 * @param directMaxBytes most direct buffer memory in any row
 * @param jobFailure why the job ended, null while it ran to the end
 * @param passed every frame sent scored exactly once, and the job ran to the end
 */
public record SoakReport(
        String modelId,
        int lines,
        int shotsPerLine,
        double fps,
        double durationSeconds,
        double failEverySeconds,
        List<SoakSample> samples,
        ScoreTally.Counts frames,
        int failuresInjected,
        long restarts,
        long checkpointsCompleted,
        long checkpointsFailed,
        long checkpointMillisMedian,
        long checkpointMillisMax,
        long checkpointBytesMax,
        long heapAfterGcMaxBytes,
        long heapUsedMaxBytes,
        long directMaxBytes,
        String jobFailure,
        boolean passed) {

    /** The report of a soak with these settings, rows and final figures. */
    static SoakReport of(
            SoakSettings settings,
            String modelId,
            List<SoakSample> samples,
            ScoreTally.Counts frames,
            FlinkRest.JobFigures job,
            int restarts,
            int failuresInjected,
            String jobFailure) {
        return new SoakReport(
                modelId,
                settings.lines(),
                settings.shotsPerLine(),
                settings.fps(),
                settings.duration().toMillis() / 1000.0,
                settings.failEvery() == null ? 0 : settings.failEvery().toMillis() / 1000.0,
                List.copyOf(samples),
                frames,
                failuresInjected,
                restarts,
                job.checkpointsCompleted(),
                job.checkpointsFailed(),
                job.checkpointMillisMedian(),
                job.checkpointMillisMax(),
                job.checkpointBytesMax(),
                samples.stream().mapToLong(SoakSample::heapAfterGcBytes).max().orElse(0),
                samples.stream().mapToLong(SoakSample::heapUsedBytes).max().orElse(0),
                samples.stream().mapToLong(SoakSample::directBytes).max().orElse(0),
                jobFailure,
                jobFailure == null && frames.exactlyOnce());
    }

    /** The verdict as one sentence. */
    public String verdict() {
        if (jobFailure != null) {
            return "the inspection job failed: " + jobFailure;
        }
        if (passed) {
            return "every one of the " + frames.sent() + " frames sent was scored exactly once";
        }
        return String.format(
                Locale.ROOT,
                "not every frame was scored exactly once: %d sent, %d without a committed score,"
                        + " %d duplicate scores, %d scores not SCORED, %d scores of frames not sent",
                frames.sent(),
                frames.missing(),
                frames.duplicates(),
                frames.notScored(),
                frames.unexpected());
    }

    /** The summary as lines of text. */
    public List<String> text() {
        return List.of(
                String.format(
                        Locale.ROOT,
                        "Soak of %s: %d lines x %d shots at %s frames/s each for %.0f s; %d"
                                + " failures injected, %d restarts.",
                        modelId,
                        lines,
                        shotsPerLine,
                        fps,
                        durationSeconds,
                        failuresInjected,
                        restarts),
                String.format(
                        Locale.ROOT,
                        "Frames: %d sent (%d refused by Kafka), %d scored, %d duplicates.",
                        frames.sent(),
                        frames.sendFailures(),
                        frames.scored(),
                        frames.duplicates()),
                String.format(
                        Locale.ROOT,
                        "Checkpoints: %d completed, %d failed; duration median %d ms, max %d ms;"
                                + " state max %s.",
                        checkpointsCompleted,
                        checkpointsFailed,
                        checkpointMillisMedian,
                        checkpointMillisMax,
                        SoakSample.mebibytes(checkpointBytesMax)),
                String.format(
                        Locale.ROOT,
                        "Memory (this JVM): heap retained after GC max %s, heap used max %s,"
                                + " direct max %s.",
                        SoakSample.mebibytes(heapAfterGcMaxBytes),
                        SoakSample.mebibytes(heapUsedMaxBytes),
                        SoakSample.mebibytes(directMaxBytes)),
                (passed ? "PASSED: " : "FAILED: ") + verdict() + ".");
    }
}
