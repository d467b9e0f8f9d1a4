package io.inctrlstream.launcher.internal;

import io.inctrlstream.job.InspectionJob;
import io.inctrlstream.job.kafka.KafkaNotReadyException;
import io.inctrlstream.job.kafka.KafkaStartupCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The inspection job on a Flink MiniCluster in this JVM, with the web dashboard on localhost.
 * {@link #close()} cancels it; the MiniCluster shuts down once the job has ended.
 */
public final class LocalJob implements AutoCloseable {
    private final JobClient client;
    private final int dashboardPort;
    private final CompletableFuture<JobExecutionResult> result;

    private LocalJob(JobClient client, int dashboardPort) {
        this.client = client;
        this.dashboardPort = dashboardPort;
        this.result = client.getJobExecutionResult();
    }

    /**
     * Builds the job from {@code config} (the job's {@code inctrl.*} options and any Flink
     * settings) and submits it to a new local MiniCluster with the dashboard on {@code
     * dashboardPort} (0: a free port).
     *
     * @throws IllegalStateException if the dashboard port is taken
     * @throws KafkaNotReadyException if Kafka is unreachable, refuses the credentials or lacks a
     *     topic of the job (checked before anything starts)
     */
    public static LocalJob start(Configuration config, int dashboardPort, int parallelism)
            throws Exception {
        int port = dashboardPort == 0 ? freePort() : requireFree(dashboardPort);
        Configuration flink = new Configuration(config);
        flink.set(RestOptions.PORT, port);
        flink.set(RestOptions.ADDRESS, "localhost");
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        flink.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        KafkaStartupCheck.checkJob(flink);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        env.setParallelism(parallelism);
        InspectionJob.build(env, flink);
        return new LocalJob(env.executeAsync(InspectionJob.NAME), port);
    }

    /** The dashboard's address. */
    public String dashboardUrl() {
        return "http://localhost:" + dashboardPort;
    }

    /** Completes when the job ends (exceptionally if it failed). */
    public CompletableFuture<JobExecutionResult> result() {
        return result;
    }

    /**
     * Checks that the job has not ended.
     *
     * @throws IllegalStateException with the job's failure if it ended
     */
    public void requireAlive() {
        if (!result.isDone()) {
            return;
        }
        try {
            result.get();
            throw new IllegalStateException("the inspection job ended");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "the inspection job failed: " + rootMessage(e) + " (see the log)", e);
        }
    }

    /** The innermost cause's type and message. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Waits until the job runs.
     *
     * @throws ExecutionException with the job's failure if it ended
     * @throws TimeoutException if it is not running within the timeout
     */
    public void awaitRunning(Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            requireAlive();
            JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        "the job is "
                                + status
                                + ", not RUNNING, after "
                                + Durations.format(timeout));
            }
            Thread.sleep(100);
        }
    }

    /** Cancels the job (if still running) and waits for it to end. */
    @Override
    public void close() {
        if (!result.isDone()) {
            try {
                client.cancel().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // already ending, or the cluster is gone: nothing more to cancel
            }
        }
        try {
            result.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // a cancelled job ends "exceptionally"; that is the expected end
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the dashboard port "
                            + port
                            + " is in use (another Flink or demo running?): pass --dashboard-port"
                            + " with a free port, or 0 for any",
                    e);
        }
    }
}
