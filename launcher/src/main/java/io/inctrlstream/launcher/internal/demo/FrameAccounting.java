package io.inctrlstream.launcher.internal.demo;

import java.util.List;

/**
 * Where every frame of a demo run went. Each frame a camera sent is exactly one of: scored,
 * answered "no reference", failed, a dead letter, or still unscored at the end; frames the cameras
 * skipped because the job was behind were never sent.
 *
 * @param sent frames the cameras sent
 * @param scored frames scored
 * @param noReference frames answered "no reference yet"
 * @param failed frames whose scoring failed
 * @param deadLetters frames that became dead letters without a score
 * @param unscored frames sent and not answered by the end (in flight, or lost)
 * @param droppedAtCamera frames the cameras skipped, the job being behind (not sent)
 * @param duplicates answers seen again after a restart (not counted above)
 * @param cameraLate frames of the offered rate the cameras did not produce in time (their own
 *     threads starved of CPU); neither sent nor dropped
 */
public record FrameAccounting(
        long sent,
        long scored,
        long noReference,
        long failed,
        long deadLetters,
        long unscored,
        long droppedAtCamera,
        long duplicates,
        long cameraLate) {

    /**
     * The totals over the lines, with {@code offeredPerLine} frames offered to each line (its rate
     * times how long the cameras ran).
     */
    static FrameAccounting of(List<LineSnapshot> lines, long offeredPerLine) {
        long sent = 0;
        long scored = 0;
        long noReference = 0;
        long failed = 0;
        long deadLetters = 0;
        long unscored = 0;
        long dropped = 0;
        long duplicates = 0;
        long late = 0;
        for (LineSnapshot line : lines) {
            sent += line.framesSent();
            scored += line.scored();
            noReference += line.noReference();
            failed += line.failed();
            deadLetters += line.deadLetters();
            unscored += line.unscored();
            dropped += line.droppedAtCamera();
            duplicates += line.duplicates();
            late += Math.max(0, offeredPerLine - line.framesSent() - line.droppedAtCamera());
        }
        return new FrameAccounting(
                sent,
                scored,
                noReference,
                failed,
                deadLetters,
                unscored,
                dropped,
                duplicates,
                late);
    }
}
