package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.job.InspectionJob;
import io.inctrlstream.launcher.internal.flink.ClusterJobs;
import io.inctrlstream.launcher.internal.flink.FlinkRestClient.JobSummary;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inctrl stop --savepoint DIR}: stop-with-savepoint of the job on a Flink cluster. */
@Command(
        name = "stop",
        description = {
            "Stops the inspection job on a Flink cluster with a savepoint, and prints its path:"
                    + " start the next job from it with run --jobmanager URL --from-savepoint"
                    + " PATH (an upgrade)."
        },
        mixinStandardHelpOptions = true)
public final class StopCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin JobManagerOptions cluster;

    @Option(
            names = "--savepoint",
            paramLabel = "DIR",
            required = true,
            description =
                    "Durable folder (URI) the savepoint goes to, reachable from the JobManager and"
                            + " every TaskManager, e.g. s3://bucket/savepoints.")
    String savepointDirectory;

    @Option(
            names = "--drain",
            description =
                    "Drain the job before stopping (flushes event time; the inspection job needs"
                            + " it rarely).")
    boolean drain;

    @Override
    public Integer call() throws Exception {
        ClusterJobs jobs = cluster.jobs(spec);
        JobSummary job = jobs.find(cluster.jobId(), InspectionJob.NAME);
        String location = jobs.stopWithSavepoint(job.id(), savepointDirectory, drain);
        PrintWriter out = spec.commandLine().getOut();
        out.println("job " + job.id() + " stopped with savepoint " + location);
        out.flush();
        return ExitCodes.OK;
    }
}
