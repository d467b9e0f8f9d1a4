package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.ScoringRequest;

/** A frame between dispatch and result: its request, its line's context, its attempts. */
final class FrameWork {
    final Entry entry;
    final ScoringRequest request;
    final LineSettings settings;
    int attempts;
    long enqueuedAt;
    private FrameScoreResult result;

    FrameWork(Entry entry, ScoringRequest request, LineSettings settings) {
        this.entry = entry;
        this.request = request;
        this.settings = settings;
    }

    void resolve(FrameScoreResult frameResult) {
        this.result = frameResult;
    }

    FrameScoreResult result() {
        return result;
    }
}
