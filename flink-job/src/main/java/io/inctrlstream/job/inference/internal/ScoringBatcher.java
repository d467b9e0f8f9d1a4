package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.InferenceBackend;
import io.inctrlstream.job.inference.InferenceOperatorConfig;
import io.inctrlstream.job.inference.ScoringRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * The subtask's micro-batcher: collects frames of all lines and cuts them into batches of at most
 * {@code maxBatchSize} frames and {@code maxBatchPixels} declared pixels (a frame larger than the
 * budget runs alone). A batch is due when it is full (by count or by pixels) or its oldest frame
 * has waited the maximum wait, or at once while no scoring batch runs if the config waits only when
 * busy; it is sent when {@link BackendCalls} has a slot for it. Failed and timed-out batches are
 * retried. Everything runs on the task thread; nothing here blocks.
 */
final class ScoringBatcher implements BackendCalls.Caller {
    /** Receives frames whose result is final: scored, or failed for good. */
    interface Listener {
        void framesResolved(List<FrameWork> resolved) throws Exception;
    }

    private static final long DUE_NOW = Long.MIN_VALUE / 4;

    private final InferenceOperatorConfig config;
    private final InferenceBackend backend;
    private final ProcessingTimeService time;
    private final BackendCalls calls;
    private final OperatorMetrics metrics;
    private final Listener listener;
    private final ArrayDeque<FrameWork> waiting = new ArrayDeque<>();
    private ScheduledFuture<?> flushTimer;
    private int runningBatches;
    private boolean eager;
    private boolean sendPartial;

    ScoringBatcher(
            InferenceOperatorConfig config,
            InferenceBackend backend,
            ProcessingTimeService time,
            BackendCalls calls,
            OperatorMetrics metrics,
            Listener listener) {
        this.config = config;
        this.backend = backend;
        this.time = time;
        this.calls = calls;
        this.metrics = metrics;
        this.listener = listener;
    }

    void add(FrameWork work) {
        work.enqueuedAt = time.getCurrentProcessingTime();
        waiting.addLast(work);
        calls.dispatch();
        scheduleFlushTimer();
    }

    /** From now on send frames as soon as a batch may run (end of input: no more frames come). */
    void sendEagerly() {
        eager = true;
        calls.dispatch();
    }

    /** Sends what waits, full or not, as far as the backend's call budget allows. */
    void flushWaiting() {
        sendPartial = true;
        try {
            calls.dispatch();
        } finally {
            sendPartial = false;
        }
    }

    /** Scoring batches with the backend (sent, not answered, not timed out). */
    int runningBatches() {
        return runningBatches;
    }

    void close() {
        if (flushTimer != null) {
            flushTimer.cancel(false);
            flushTimer = null;
        }
        waiting.clear();
    }

    @Override
    public long dueSince() {
        if (waiting.isEmpty()) {
            return BackendCalls.NOTHING_DUE;
        }
        long oldest = waiting.peekFirst().enqueuedAt;
        boolean due =
                eager
                        || sendPartial
                        || (config.batchWaitOnlyWhenBusy() && runningBatches == 0)
                        || oldest + config.maxBatchWait().toMillis()
                                <= time.getCurrentProcessingTime()
                        || nextBatchSize() < waiting.size()
                        || waiting.size() >= config.maxBatchSize();
        return due ? oldest : BackendCalls.NOTHING_DUE;
    }

    @Override
    public void sendNext() {
        int size = nextBatchSize();
        List<FrameWork> frames = new ArrayList<>(size);
        List<ScoringRequest> requests = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            FrameWork work = waiting.pollFirst();
            work.attempts++;
            frames.add(work);
            requests.add(work.request);
        }
        metrics.batchSize.update(size);
        runningBatches++;
        List<ScoringRequest> batch = Collections.unmodifiableList(requests);
        calls.send(
                "a scoring batch of " + size + (size == 1 ? " frame" : " frames"),
                () -> backend.scoreBatch(batch),
                new BackendCalls.Outcome<List<FrameScoreResult>>() {
                    @Override
                    public void answered(
                            List<FrameScoreResult> results, Throwable failure, long runMillis)
                            throws Exception {
                        runningBatches--;
                        metrics.inferenceLatencyMs.update(runMillis);
                        batchAnswered(frames, results, failure);
                    }

                    @Override
                    public void timedOut() throws Exception {
                        runningBatches--;
                        List<FrameWork> resolved = new ArrayList<>();
                        retryOrFail(
                                frames,
                                "inference timed out after " + config.timeout().toMillis() + " ms",
                                resolved);
                        finish(resolved);
                    }
                });
        scheduleFlushTimer();
    }

    /**
     * How many of the waiting frames the next batch takes: up to the batch size, stopping before
     * the frame that would take the batch over its pixel budget (but at least one frame).
     */
    private int nextBatchSize() {
        int size = 0;
        long pixels = 0;
        Iterator<FrameWork> frames = waiting.iterator();
        while (size < config.maxBatchSize() && frames.hasNext()) {
            ImagePayload image = frames.next().request.image();
            long framePixels = (long) image.width() * image.height();
            if (size > 0 && pixels + framePixels > config.maxBatchPixels()) {
                break;
            }
            pixels += framePixels;
            size++;
        }
        return size;
    }

    private void scheduleFlushTimer() {
        if (waiting.isEmpty() || flushTimer != null) {
            return;
        }
        long deadline = waiting.peekFirst().enqueuedAt + config.maxBatchWait().toMillis();
        if (deadline > time.getCurrentProcessingTime()) {
            flushTimer =
                    time.registerTimer(
                            deadline,
                            firedAt -> {
                                flushTimer = null;
                                calls.dispatch();
                                scheduleFlushTimer();
                            });
        }
        // Otherwise the oldest frame is due but every call slot is taken: the next answer (or
        // timeout) of a backend call sends it.
    }

    private void batchAnswered(
            List<FrameWork> frames, List<FrameScoreResult> results, Throwable failure)
            throws Exception {
        List<FrameWork> resolved = new ArrayList<>(frames.size());
        if (failure != null) {
            if (Failures.isRetryable(failure)) {
                retryOrFail(frames, Failures.describe(failure), resolved);
            } else {
                failAll(frames, Failures.describe(failure), resolved);
            }
        } else if (results == null || results.size() != frames.size()) {
            failAll(
                    frames,
                    "the inference backend answered "
                            + (results == null ? "nothing" : results.size() + " results")
                            + " for a batch of "
                            + frames.size()
                            + " frames",
                    resolved);
        } else {
            for (int i = 0; i < results.size(); i++) {
                FrameWork work = frames.get(i);
                FrameScoreResult result = results.get(i);
                work.resolve(
                        result != null
                                ? result
                                : FrameScoreResult.failed(
                                        "the inference backend answered no result for the frame"));
                resolved.add(work);
            }
        }
        finish(resolved);
    }

    private void finish(List<FrameWork> resolved) throws Exception {
        if (!resolved.isEmpty()) {
            listener.framesResolved(resolved);
        }
        scheduleFlushTimer();
    }

    private void retryOrFail(List<FrameWork> frames, String reason, List<FrameWork> resolved) {
        // Walk backwards so that retried frames go back to the front in their original order.
        for (int i = frames.size() - 1; i >= 0; i--) {
            FrameWork work = frames.get(i);
            if (work.attempts <= config.maxRetries()) {
                metrics.inferenceRetries.inc();
                work.enqueuedAt = DUE_NOW;
                waiting.addFirst(work);
            } else {
                work.resolve(
                        FrameScoreResult.failed(
                                "inference failed after "
                                        + work.attempts
                                        + " attempts: "
                                        + reason));
                resolved.add(0, work);
            }
        }
    }

    private static void failAll(List<FrameWork> frames, String reason, List<FrameWork> resolved) {
        for (FrameWork work : frames) {
            work.resolve(FrameScoreResult.failed(reason));
            resolved.add(work);
        }
    }
}
