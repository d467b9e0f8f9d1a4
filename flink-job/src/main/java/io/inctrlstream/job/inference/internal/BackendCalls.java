package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.InferenceBackendFailedException;
import io.inctrlstream.job.inference.InferenceCall;
import io.inctrlstream.job.inference.InferenceOperatorConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * The subtask's calls to its one inference backend, shared by scoring batches and bank builds:
 *
 * <ul>
 *   <li>one budget: at most {@code maxConcurrentBatches} calls are with the backend at once; when a
 *       slot is free, the caller whose next call has been due the longest sends it;
 *   <li>a timeout per call that runs from when the backend starts the call, not from when it was
 *       handed over (a call queued behind another has not started); a call still unanswered one
 *       more timeout after it timed out is stuck;
 *   <li>the backend's health: an {@link Error}, an {@link InferenceBackendFailedException}, {@code
 *       maxConsecutiveFailures} failed or timed-out calls in a row, or a stuck call fail the task
 *       (an {@link InferenceBackendFailedException} thrown out of the mail), so that Flink restarts
 *       it from its last checkpoint and the backend is created anew. The inputs of that call are
 *       not answered; they are re-run after the restore. A call answered with results (even failed
 *       frames) or with a non-retryable failure resets the count.
 * </ul>
 *
 * Task thread only: the backend's starts and answers come back through the mailbox.
 */
final class BackendCalls {
    /** What {@link Caller#dueSince()} returns when the caller has nothing to send. */
    static final long NOTHING_DUE = Long.MAX_VALUE;

    static final String RESTART =
            "; failing the task so that Flink restarts it from its last checkpoint and loads the"
                    + " model anew";

    /** Work that needs backend calls (scoring batches, bank builds). */
    interface Caller {
        /** Since when (processing time) its next call has been due, or {@link #NOTHING_DUE}. */
        long dueSince();

        /** Sends its next due call with {@link #send}; called when a slot is free. */
        void sendNext();
    }

    /** What becomes of one call; not called once the backend is found broken. */
    interface Outcome<T> {
        /**
         * The backend answered: a result, or a failure that does not mean the backend is broken.
         *
         * @param runMillis how long the call ran, from its start to its answer
         */
        void answered(T result, Throwable failure, long runMillis) throws Exception;

        /**
         * The call ran for the timeout without an answer; its answer, if it ever comes, is dropped.
         */
        void timedOut() throws Exception;
    }

    private static final class Call<T> {
        final long id;
        final String description;
        final Outcome<T> outcome;
        final long sentNanos = System.nanoTime();
        long startedNanos;
        ScheduledFuture<?> timer;

        Call(long id, String description, Outcome<T> outcome) {
            this.id = id;
            this.description = description;
            this.outcome = outcome;
        }

        long runMillis() {
            return (System.nanoTime() - (startedNanos != 0 ? startedNanos : sentNanos))
                    / 1_000_000L;
        }
    }

    private final int maxCalls;
    private final long timeoutMillis;
    private final int maxConsecutiveFailures;
    private final ProcessingTimeService time;
    private final MailboxExecutor mailbox;
    private final OperatorMetrics metrics;
    private final List<Caller> callers = new ArrayList<>();
    private final Map<Long, Call<?>> running = new HashMap<>();
    private final Map<Long, Call<?>> overdue = new HashMap<>();
    private long nextCallId;
    private int consecutiveFailures;

    BackendCalls(
            InferenceOperatorConfig config,
            ProcessingTimeService time,
            MailboxExecutor mailbox,
            OperatorMetrics metrics) {
        this.maxCalls = config.maxConcurrentBatches();
        this.timeoutMillis = config.timeout().toMillis();
        this.maxConsecutiveFailures = config.maxConsecutiveFailures();
        this.time = time;
        this.mailbox = mailbox;
        this.metrics = metrics;
    }

    /** Adds a caller; callers registered first win ties. */
    void register(Caller caller) {
        callers.add(Objects.requireNonNull(caller, "caller"));
    }

    /** Calls with the backend now (sent, not answered, not timed out). */
    int running() {
        return running.size();
    }

    /** Failed or timed-out calls since the last answered one. */
    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Fills the free slots with the callers' due calls, the longest due first. */
    void dispatch() {
        while (running.size() < maxCalls) {
            Caller next = null;
            long oldest = NOTHING_DUE;
            for (Caller caller : callers) {
                long due = caller.dueSince();
                if (due < oldest) {
                    oldest = due;
                    next = caller;
                }
            }
            if (next == null) {
                return;
            }
            int before = running.size();
            next.sendNext();
            if (running.size() == before) {
                throw new IllegalStateException(next + " was due but sent no call");
            }
        }
    }

    /**
     * Hands one call to the backend; called by a {@link Caller#sendNext()}.
     *
     * @param description what the call is, for messages ("a scoring batch of 3 frames")
     */
    <T> void send(String description, Supplier<InferenceCall<T>> invoke, Outcome<T> outcome) {
        Call<T> call = new Call<>(nextCallId++, description, outcome);
        running.put(call.id, call);
        InferenceCall<T> inference;
        try {
            inference =
                    Objects.requireNonNull(invoke.get(), "the inference backend returned no call");
        } catch (Throwable failure) {
            // Thrown instead of returned: the same as a failed answer (an Error is still fatal).
            inference = InferenceCall.startedNow(CompletableFuture.failedFuture(failure));
        }
        if (inference.started().isDone()) {
            started(call.id);
        } else {
            inference
                    .started()
                    .whenComplete(
                            (ignored, failure) ->
                                    MailboxDelivery.deliver(
                                            mailbox,
                                            () -> started(call.id),
                                            "inference call start"));
        }
        inference
                .answer()
                .whenComplete(
                        (result, failure) ->
                                MailboxDelivery.deliver(
                                        mailbox,
                                        () -> answered(call.id, result, failure),
                                        "inference call answer"));
    }

    void close() {
        running.values().forEach(BackendCalls::cancelTimer);
        overdue.values().forEach(BackendCalls::cancelTimer);
        running.clear();
        overdue.clear();
    }

    private void started(long callId) {
        Call<?> call = running.get(callId);
        if (call == null || call.startedNanos != 0) {
            return; // answered already
        }
        call.startedNanos = System.nanoTime();
        call.timer =
                time.registerTimer(
                        time.getCurrentProcessingTime() + timeoutMillis,
                        firedAt -> timedOut(callId));
    }

    @SuppressWarnings("unchecked")
    private <T> void answered(long callId, T result, Throwable failure) throws Exception {
        Call<T> call = (Call<T>) running.remove(callId);
        if (call == null) {
            Call<?> late = overdue.remove(callId);
            if (late != null) {
                cancelTimer(late);
                if (failure != null && Failures.isFatal(failure)) {
                    throw broken(late, failure);
                }
            }
            return; // timed out before, or closed: dropped
        }
        cancelTimer(call);
        if (failure != null && Failures.isFatal(failure)) {
            throw broken(call, failure);
        }
        if (failure != null && Failures.isRetryable(failure)) {
            countFailure(call, Failures.describe(failure), Failures.unwrap(failure));
        } else {
            consecutiveFailures = 0;
        }
        call.outcome.answered(result, failure, call.runMillis());
        dispatch();
    }

    private void timedOut(long callId) throws Exception {
        Call<?> call = running.remove(callId);
        if (call == null) {
            return; // answered in time
        }
        metrics.inferenceTimeouts.inc();
        countFailure(call, "timed out after " + timeoutMillis + " ms", null);
        call.timer =
                time.registerTimer(
                        time.getCurrentProcessingTime() + timeoutMillis, firedAt -> stuck(callId));
        overdue.put(callId, call);
        call.outcome.timedOut();
        dispatch();
    }

    private void stuck(long callId) throws InferenceBackendFailedException {
        Call<?> call = overdue.remove(callId);
        if (call == null) {
            return; // its late answer came
        }
        throw new InferenceBackendFailedException(
                "the inference backend has not answered "
                        + call.description
                        + " "
                        + 2 * timeoutMillis
                        + " ms after it started (the timeout is "
                        + timeoutMillis
                        + " ms): the call is stuck, and a blocking backend runs nothing else"
                        + " meanwhile"
                        + RESTART);
    }

    private void countFailure(Call<?> call, String what, Throwable cause)
            throws InferenceBackendFailedException {
        consecutiveFailures++;
        if (consecutiveFailures >= maxConsecutiveFailures) {
            throw new InferenceBackendFailedException(
                    "the inference backend failed "
                            + consecutiveFailures
                            + " calls in a row, the last "
                            + call.description
                            + ": "
                            + what
                            + RESTART,
                    cause);
        }
    }

    private static InferenceBackendFailedException broken(Call<?> call, Throwable failure) {
        return new InferenceBackendFailedException(
                "the inference backend is broken: "
                        + call.description
                        + " failed with "
                        + Failures.describe(failure)
                        + RESTART,
                Failures.unwrap(failure));
    }

    private static void cancelTimer(Call<?> call) {
        if (call.timer != null) {
            call.timer.cancel(false);
            call.timer = null;
        }
    }
}
