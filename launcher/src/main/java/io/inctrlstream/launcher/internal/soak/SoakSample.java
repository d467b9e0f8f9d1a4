package io.inctrlstream.launcher.internal.soak;

import java.util.Locale;

/**
 * One row of the soak's report: the frames, restarts, checkpoints and memory at one moment, with
 * the send and score rates since the row before.
 *
 * @param seconds since the cameras started
 * @param framesSent frames acknowledged by Kafka so far
 * @param framesScored frames with a committed score so far
 * @param duplicates committed scores beyond the first of a frame
 * @param sentPerSecond frames sent per second since the row before
 * @param scoredPerSecond frames scored per second since the row before
 * @param restarts job restarts so far
 * @param failuresInjected task failures injected so far
 * @param checkpointsCompleted checkpoints completed so far
 * @param checkpointsFailed checkpoints failed so far
 * @param lastCheckpointBytes state size of the latest completed checkpoint
 * @param lastCheckpointMillis duration of the latest completed checkpoint
 * @param heapUsedBytes heap in use, garbage included
 * @param heapAfterGcBytes heap retained after the latest collection
 * @param directBytes direct NIO buffers
 */
record SoakSample(
        double seconds,
        long framesSent,
        long framesScored,
        long duplicates,
        double sentPerSecond,
        double scoredPerSecond,
        long restarts,
        int failuresInjected,
        long checkpointsCompleted,
        long checkpointsFailed,
        long lastCheckpointBytes,
        long lastCheckpointMillis,
        long heapUsedBytes,
        long heapAfterGcBytes,
        long directBytes) {

    /** The row at {@code seconds}, its rates taken against {@code previous} (null: the start). */
    static SoakSample of(
            double seconds,
            ScoreTally.Counts frames,
            FlinkRest.JobFigures job,
            int restarts,
            int failuresInjected,
            JvmMemory.Usage memory,
            SoakSample previous) {
        double since = previous == null ? 0 : previous.seconds;
        long sentBefore = previous == null ? 0 : previous.framesSent;
        long scoredBefore = previous == null ? 0 : previous.framesScored;
        return new SoakSample(
                seconds,
                frames.sent(),
                frames.scored(),
                frames.duplicates(),
                rate(frames.sent() - sentBefore, seconds - since),
                rate(frames.scored() - scoredBefore, seconds - since),
                restarts,
                failuresInjected,
                job.checkpointsCompleted(),
                job.checkpointsFailed(),
                job.lastCheckpointBytes(),
                job.lastCheckpointMillis(),
                memory.heapUsed(),
                memory.heapAfterGc(),
                memory.direct());
    }

    /** {@code count} per second over {@code seconds}; 0 over no time. */
    static double rate(long count, double seconds) {
        return seconds > 0 ? count / seconds : 0;
    }

    /** The row as one line of text. */
    String text() {
        return String.format(
                Locale.ROOT,
                "%7.0fs  sent %d (%.1f/s)  scored %d (%.1f/s)  duplicates %d  restarts %d"
                        + " (%d injected)  checkpoints %d ok, %d failed, last %s in %d ms"
                        + "  heap %s (after GC %s)  direct %s",
                seconds,
                framesSent,
                sentPerSecond,
                framesScored,
                scoredPerSecond,
                duplicates,
                restarts,
                failuresInjected,
                checkpointsCompleted,
                checkpointsFailed,
                mebibytes(lastCheckpointBytes),
                lastCheckpointMillis,
                mebibytes(heapUsedBytes),
                mebibytes(heapAfterGcBytes),
                mebibytes(directBytes));
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
