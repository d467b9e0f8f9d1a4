package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.job.InspectionJob;
import io.inctrlstream.launcher.internal.flink.FlinkRestClient;
import io.inctrlstream.launcher.internal.flink.FlinkRestClient.Checkpoints;
import io.inctrlstream.launcher.internal.flink.FlinkRestClient.JobSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code inctrl status}: the inspection jobs on a Flink cluster. */
@Command(
        name = "status",
        description = {
            "The inspection jobs on a Flink cluster: state, uptime, checkpoints (completed,"
                    + " failed, the latest) and the latest exception.",
            "Exit code 0 when the job (--job-id, else the one named \"InCTRL inspection\") is"
                    + " RUNNING, 1 otherwise."
        },
        mixinStandardHelpOptions = true)
public final class StatusCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin JobManagerOptions cluster;

    @Override
    public Integer call() throws Exception {
        FlinkRestClient rest = cluster.rest(spec);
        List<JobSummary> jobs =
                rest.jobs().stream()
                        .filter(
                                job ->
                                        cluster.jobId()
                                                .map(job.id()::equals)
                                                .orElse(job.name().equals(InspectionJob.NAME)))
                        .toList();
        PrintWriter out = spec.commandLine().getOut();
        if (jobs.isEmpty()) {
            out.println(
                    "no job "
                            + cluster.jobId().orElse("named \"" + InspectionJob.NAME + "\"")
                            + " on "
                            + rest.address());
            out.flush();
            return ExitCodes.FAILED;
        }
        boolean running = false;
        for (JobSummary job : jobs) {
            running |= job.state().equals("RUNNING");
            out.println(
                    job.id()
                            + "  "
                            + job.state()
                            + "  up "
                            + Duration.ofMillis(Math.max(0, job.durationMs())).toSeconds()
                            + " s  "
                            + job.name());
            if (job.active()) {
                Checkpoints checkpoints = rest.checkpoints(job.id());
                out.println(
                        "  checkpoints: "
                                + checkpoints.completed()
                                + " completed, "
                                + checkpoints.failed()
                                + " failed"
                                + checkpoints
                                        .latestId()
                                        .map(
                                                id ->
                                                        ", latest "
                                                                + id
                                                                + checkpoints
                                                                        .latestPath()
                                                                        .map(p -> " at " + p)
                                                                        .orElse(""))
                                        .orElse(""));
            }
            rest.latestException(job.id())
                    .ifPresent(exception -> out.println("  latest exception: " + exception));
        }
        out.flush();
        return running ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
