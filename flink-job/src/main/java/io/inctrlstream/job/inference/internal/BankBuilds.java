package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.InferenceBackend;
import io.inctrlstream.job.inference.InferenceOperatorConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * Runs the bank builds of shot commands on the backend, one request per command, with the same
 * timeout and retry rules as scoring batches. Answers come back through the mailbox.
 */
final class BankBuilds {
    /** Receives the final result of a command's bank build. */
    interface Listener {
        void bankBuilt(Entry command, BuiltBank bank) throws Exception;

        void bankFailed(Entry command, String reason) throws Exception;
    }

    private static final class Build {
        final Entry command;
        final BankBuildRequest request;
        int attempts;
        ScheduledFuture<?> timeout;

        Build(Entry command, BankBuildRequest request) {
            this.command = command;
            this.request = request;
        }
    }

    private final InferenceOperatorConfig config;
    private final InferenceBackend backend;
    private final ProcessingTimeService time;
    private final MailboxExecutor mailbox;
    private final OperatorMetrics metrics;
    private final Listener listener;
    private final Map<Long, Build> running = new HashMap<>();
    private long nextAttemptId;

    BankBuilds(
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

    void start(Entry command, BankBuildRequest request) {
        attempt(new Build(command, request));
    }

    void close() {
        running.values().forEach(build -> build.timeout.cancel(false));
        running.clear();
    }

    private void attempt(Build build) {
        build.attempts++;
        long attemptId = nextAttemptId++;
        build.timeout =
                time.registerTimer(
                        time.getCurrentProcessingTime() + config.timeout().toMillis(),
                        firedAt -> timedOut(attemptId));
        running.put(attemptId, build);
        CompletableFuture<BuiltBank> answer;
        try {
            answer = backend.buildBank(build.request);
        } catch (RuntimeException failure) {
            answer = CompletableFuture.failedFuture(failure);
        }
        answer.whenComplete(
                (bank, failure) ->
                        MailboxDelivery.deliver(
                                mailbox,
                                () -> answered(attemptId, bank, failure),
                                "bank build answer"));
    }

    private void answered(long attemptId, BuiltBank bank, Throwable failure) throws Exception {
        Build build = running.remove(attemptId);
        if (build == null) {
            return; // timed out before
        }
        build.timeout.cancel(false);
        if (failure == null && bank != null) {
            listener.bankBuilt(build.command, bank);
        } else if (failure == null) {
            listener.bankFailed(build.command, "the inference backend answered no bank");
        } else if (Failures.isRetryable(failure)) {
            retryOrFail(build, Failures.describe(failure));
        } else {
            listener.bankFailed(build.command, Failures.describe(failure));
        }
    }

    private void timedOut(long attemptId) throws Exception {
        Build build = running.remove(attemptId);
        if (build == null) {
            return;
        }
        metrics.inferenceTimeouts.inc();
        retryOrFail(build, "shot encoding timed out after " + config.timeout().toMillis() + " ms");
    }

    private void retryOrFail(Build build, String reason) throws Exception {
        if (build.attempts <= config.maxRetries()) {
            metrics.inferenceRetries.inc();
            attempt(build);
        } else {
            listener.bankFailed(
                    build.command,
                    "shot encoding failed after " + build.attempts + " attempts: " + reason);
        }
    }
}
