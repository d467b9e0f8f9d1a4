package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.flink.ClusterJobs;
import io.inctrlstream.launcher.internal.flink.FlinkRestClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Which Flink cluster (its JobManager's REST address) and how long to wait for it. */
public final class JobManagerOptions {
    @Option(
            names = "--jobmanager",
            paramLabel = "URL",
            description = "The Flink JobManager's REST address, e.g. http://flink-jobmanager:8081.")
    String jobManager;

    @Option(
            names = "--job-id",
            paramLabel = "ID",
            description = "The job (default: the one running job named \"InCTRL inspection\").")
    String jobId;

    @Option(
            names = "--cluster-timeout",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description =
                    "Longest wait for the cluster: a jar upload, the job to run, a savepoint"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** Whether --jobmanager was given. */
    boolean given() {
        return jobManager != null;
    }

    Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }

    FlinkRestClient rest(CommandSpec command) {
        if (jobManager == null) {
            throw new ParameterException(command.commandLine(), "--jobmanager URL is needed");
        }
        try {
            return new FlinkRestClient(URI.create(jobManager), timeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    command.commandLine(), "--jobmanager: " + e.getMessage(), e);
        }
    }

    ClusterJobs jobs(CommandSpec command) {
        return new ClusterJobs(rest(command), timeout);
    }
}
