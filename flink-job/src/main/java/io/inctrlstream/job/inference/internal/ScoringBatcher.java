package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.InferenceBackend;
import io.inctrlstream.job.inference.InferenceOperatorConfig;
import io.inctrlstream.job.inference.ScoringRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * The subtask's micro-batcher: collects frames of all lines, sends a batch to the backend when it
 * is full or its oldest frame has waited the maximum wait, keeps at most the configured number of
 * batches running, and times out and retries batches. Every backend answer comes back through the
 * mailbox, so all of this runs on the task thread; nothing here blocks.
 */
final class ScoringBatcher {
    /** Receives frames whose result is final: scored, or failed for good. */
    interface Listener {
        void framesResolved(List<FrameWork> resolved) throws Exception;
    }

    private static final long DUE_NOW = Long.MIN_VALUE / 4;

    private record Batch(List<FrameWork> frames, long startNanos, ScheduledFuture<?> timeout) {}

    private final InferenceOperatorConfig config;
    private final InferenceBackend backend;
    private final ProcessingTimeService time;
    private final MailboxExecutor mailbox;
    private final OperatorMetrics metrics;
    private final Listener listener;
    private final ArrayDeque<FrameWork> waiting = new ArrayDeque<>();
    private final Map<Long, Batch> running = new HashMap<>();
    private ScheduledFuture<?> flushTimer;
    private long nextBatchId;
    private boolean eager;

    ScoringBatcher(
            InferenceOperatorConfig config,
            InferenceBackend backend,
            ProcessingTimeService time,
            MailboxExecutor mailbox,
            OperatorMetrics metrics,
            Listener listener) {
        this.config = config;
        this.backend = backend;
        this.time = time;
        this.mailbox = mailbox;
        this.metrics = metrics;
        this.listener = listener;
    }

    void add(FrameWork work) {
        work.enqueuedAt = time.getCurrentProcessingTime();
        waiting.addLast(work);
        flushDue();
    }

    /** From now on send frames as soon as a batch may run (end of input: no more frames come). */
    void sendEagerly() {
        eager = true;
        flushDue();
    }

    /** Sends what waits, full or not, as far as the running-batch limit allows. */
    void flushWaiting() {
        flush(true);
    }

    int runningBatches() {
        return running.size();
    }

    void close() {
        if (flushTimer != null) {
            flushTimer.cancel(false);
            flushTimer = null;
        }
        running.values().forEach(batch -> batch.timeout().cancel(false));
        running.clear();
        waiting.clear();
    }

    /** Sends the batches that are due: full ones, or any once the oldest frame waited enough. */
    private void flushDue() {
        flush(eager);
    }

    private void flush(boolean evenIfNotDue) {
        while (!waiting.isEmpty()
                && running.size() < config.maxConcurrentBatches()
                && (evenIfNotDue || waiting.size() >= config.maxBatchSize() || oldestIsDue())) {
            sendNextBatch();
        }
        scheduleFlushTimer();
    }

    private boolean oldestIsDue() {
        return waiting.peekFirst().enqueuedAt + config.maxBatchWait().toMillis()
                <= time.getCurrentProcessingTime();
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
                                flushDue();
                            });
        }
        // Otherwise the oldest frame is due but all batch slots are taken: the next batch
        // answer (or timeout) sends it.
    }

    private void sendNextBatch() {
        int size = Math.min(config.maxBatchSize(), waiting.size());
        List<FrameWork> frames = new ArrayList<>(size);
        List<ScoringRequest> requests = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            FrameWork work = waiting.pollFirst();
            work.attempts++;
            frames.add(work);
            requests.add(work.request);
        }
        long batchId = nextBatchId++;
        ScheduledFuture<?> timeout =
                time.registerTimer(
                        time.getCurrentProcessingTime() + config.timeout().toMillis(),
                        firedAt -> timedOut(batchId));
        running.put(batchId, new Batch(frames, System.nanoTime(), timeout));
        metrics.batchSize.update(size);
        CompletableFuture<List<FrameScoreResult>> answer;
        try {
            answer = backend.scoreBatch(Collections.unmodifiableList(requests));
        } catch (RuntimeException failure) {
            answer = CompletableFuture.failedFuture(failure);
        }
        answer.whenComplete(
                (results, failure) ->
                        MailboxDelivery.deliver(
                                mailbox,
                                () -> answered(batchId, results, failure),
                                "scoring batch answer"));
    }

    private void answered(long batchId, List<FrameScoreResult> results, Throwable failure)
            throws Exception {
        Batch batch = running.remove(batchId);
        if (batch == null) {
            return; // timed out before; its frames were retried or failed already
        }
        batch.timeout().cancel(false);
        metrics.inferenceLatencyMs.update((System.nanoTime() - batch.startNanos()) / 1_000_000L);
        List<FrameWork> resolved = new ArrayList<>(batch.frames().size());
        if (failure != null) {
            if (Failures.isRetryable(failure)) {
                retryOrFail(batch.frames(), Failures.describe(failure), resolved);
            } else {
                failAll(batch.frames(), Failures.describe(failure), resolved);
            }
        } else if (results == null || results.size() != batch.frames().size()) {
            failAll(
                    batch.frames(),
                    "the inference backend answered "
                            + (results == null ? "nothing" : results.size() + " results")
                            + " for a batch of "
                            + batch.frames().size()
                            + " frames",
                    resolved);
        } else {
            for (int i = 0; i < results.size(); i++) {
                FrameWork work = batch.frames().get(i);
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

    private void timedOut(long batchId) throws Exception {
        Batch batch = running.remove(batchId);
        if (batch == null) {
            return; // answered in time
        }
        metrics.inferenceTimeouts.inc();
        List<FrameWork> resolved = new ArrayList<>();
        retryOrFail(
                batch.frames(),
                "inference timed out after " + config.timeout().toMillis() + " ms",
                resolved);
        finish(resolved);
    }

    private void finish(List<FrameWork> resolved) throws Exception {
        if (!resolved.isEmpty()) {
            listener.framesResolved(resolved);
        }
        flushDue();
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
