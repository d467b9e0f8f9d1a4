package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.InferenceBackend;
import io.inctrlstream.job.inference.InferenceOperatorConfig;
import java.util.ArrayDeque;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * Runs the bank builds of shot commands on the backend, one call per command, with the same timeout
 * and retry rules as scoring batches and within the same call budget ({@link BackendCalls}): a
 * burst of shot commands waits here, in arrival order, not at the backend.
 */
final class BankBuilds implements BackendCalls.Caller {
    /** Receives the final result of a command's bank build. */
    interface Listener {
        void bankBuilt(Entry command, BuiltBank bank) throws Exception;

        void bankFailed(Entry command, String reason) throws Exception;
    }

    private static final long DUE_NOW = Long.MIN_VALUE / 4;

    private static final class Build {
        final Entry command;
        final BankBuildRequest request;
        int attempts;
        long dueSince;

        Build(Entry command, BankBuildRequest request, long dueSince) {
            this.command = command;
            this.request = request;
            this.dueSince = dueSince;
        }
    }

    private final InferenceOperatorConfig config;
    private final InferenceBackend backend;
    private final ProcessingTimeService time;
    private final BackendCalls calls;
    private final OperatorMetrics metrics;
    private final Listener listener;
    private final ArrayDeque<Build> waiting = new ArrayDeque<>();

    BankBuilds(
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

    void start(Entry command, BankBuildRequest request) {
        waiting.addLast(new Build(command, request, time.getCurrentProcessingTime()));
        calls.dispatch();
    }

    void close() {
        waiting.clear();
    }

    @Override
    public long dueSince() {
        return waiting.isEmpty() ? BackendCalls.NOTHING_DUE : waiting.peekFirst().dueSince;
    }

    @Override
    public void sendNext() {
        Build build = waiting.pollFirst();
        build.attempts++;
        calls.send(
                "the shot bank build of line \"" + build.request.lineId() + "\"",
                () -> backend.buildBank(build.request),
                new BackendCalls.Outcome<BuiltBank>() {
                    @Override
                    public void answered(BuiltBank bank, Throwable failure, long runMillis)
                            throws Exception {
                        if (failure == null && bank != null) {
                            listener.bankBuilt(build.command, bank);
                        } else if (failure == null) {
                            listener.bankFailed(
                                    build.command, "the inference backend answered no bank");
                        } else if (Failures.isRetryable(failure)) {
                            retryOrFail(build, Failures.describe(failure));
                        } else {
                            listener.bankFailed(build.command, Failures.describe(failure));
                        }
                    }

                    @Override
                    public void timedOut() throws Exception {
                        retryOrFail(
                                build,
                                "shot encoding timed out after "
                                        + config.timeout().toMillis()
                                        + " ms");
                    }
                });
    }

    private void retryOrFail(Build build, String reason) throws Exception {
        if (build.attempts <= config.maxRetries()) {
            metrics.inferenceRetries.inc();
            build.dueSince = DUE_NOW;
            waiting.addFirst(build);
        } else {
            listener.bankFailed(
                    build.command,
                    "shot encoding failed after " + build.attempts + " attempts: " + reason);
        }
    }
}
