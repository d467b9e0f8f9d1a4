package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.CommandOutcome;
import io.inctrlstream.job.inference.CommandStatus;
import io.inctrlstream.job.inference.FrameScore;
import io.inctrlstream.job.inference.FrameToScore;
import io.inctrlstream.job.inference.ImageFailure;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.job.inference.LineOutput;
import io.inctrlstream.job.inference.ScoreStatus;
import io.inctrlstream.job.inference.ScoreValues;

/** Builds the operator's outputs from a frame or command and its line's settings. */
final class Outputs {
    private Outputs() {}

    static LineOutput scored(
            FrameToScore frame, LineSettings settings, ScoreValues values, int attempts, long now) {
        return LineOutput.of(
                new FrameScore(
                        frame.lineId(),
                        frame.cameraId(),
                        frame.frameId(),
                        frame.captureTimeMillis(),
                        now,
                        ScoreStatus.SCORED,
                        null,
                        values.finalScore(),
                        values.holisticScore(),
                        values.patchScore(),
                        values.imageScore(),
                        values.textScore(),
                        values.patchMap(),
                        settings.threshold(),
                        values.finalScore() >= settings.threshold(),
                        settings.shotsVersion(),
                        settings.category(),
                        settings.alertPolicy(),
                        attempts,
                        values.heatmapPng(),
                        values.bankHash(),
                        null,
                        null));
    }

    static LineOutput noReference(FrameToScore frame, LineSettings settings, long now) {
        return unscored(frame, settings, ScoreStatus.NO_REFERENCE, null, null, 0, now);
    }

    /**
     * A frame that could not be scored. When its image did not decode ({@code imageFailure} not
     * null), it also carries the frame's provenance, so that the output stage can write the
     * record's dead letter.
     */
    static LineOutput failed(
            FrameToScore frame,
            LineSettings settings,
            String reason,
            ImageFailure imageFailure,
            int attempts,
            long now) {
        return unscored(frame, settings, ScoreStatus.FAILED, reason, imageFailure, attempts, now);
    }

    private static LineOutput unscored(
            FrameToScore frame,
            LineSettings settings,
            ScoreStatus status,
            String reason,
            ImageFailure imageFailure,
            int attempts,
            long now) {
        return LineOutput.of(
                new FrameScore(
                        frame.lineId(),
                        frame.cameraId(),
                        frame.frameId(),
                        frame.captureTimeMillis(),
                        now,
                        status,
                        reason,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        settings.threshold(),
                        false,
                        settings.shotsVersion(),
                        settings.category(),
                        settings.alertPolicy(),
                        attempts,
                        null,
                        null,
                        imageFailure,
                        imageFailure == null ? null : frame.provenance()));
    }

    static LineOutput applied(LineCommand command, LineSettings after, long now) {
        return outcome(command, after, CommandStatus.APPLIED, null, now);
    }

    static LineOutput rejected(
            LineCommand command, LineSettings unchanged, String reason, long now) {
        return outcome(command, unchanged, CommandStatus.REJECTED, reason, now);
    }

    private static LineOutput outcome(
            LineCommand command,
            LineSettings settings,
            CommandStatus status,
            String reason,
            long now) {
        return LineOutput.of(
                new CommandOutcome(
                        command.commandId(),
                        command.lineId(),
                        command.action(),
                        command.issuedBy(),
                        command.issuedAtMillis(),
                        status,
                        reason,
                        settings.shotsVersion(),
                        settings.shotCount(),
                        now,
                        command.origin()));
    }
}
