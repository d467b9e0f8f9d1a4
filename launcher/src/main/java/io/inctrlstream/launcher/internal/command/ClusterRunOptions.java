package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.job.InspectionJob;
import io.inctrlstream.launcher.internal.flink.FlinkRestClient.JarRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code inctrl run --jobmanager URL}: the job jar submitted to a Flink cluster through its REST
 * API, optionally from a savepoint (an upgrade).
 */
public final class ClusterRunOptions {
    /** Where bin/inctrl builds the job jar, relative to the repository (inctrl.home). */
    static final String JOB_JAR = "flink-job/target/inctrl-job.jar";

    @Mixin JobManagerOptions cluster;

    @Option(
            names = "--job-jar",
            paramLabel = "FILE",
            description = "The job jar to submit (default: " + JOB_JAR + " of this repository).")
    Path jobJar;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "Start from this savepoint (or retained checkpoint), e.g. after stop.")
    String savepoint;

    @Option(
            names = "--allow-non-restored-state",
            description =
                    "With --from-savepoint: drop the savepoint's state of operators the job no"
                            + " longer has, instead of refusing to start.")
    boolean allowNonRestoredState;

    boolean given() {
        return cluster.given();
    }

    /**
     * Uploads the job jar, runs it with the job's options as its arguments, and waits until the job
     * runs.
     */
    int submit(CommandSpec command, Map<String, String> options, int parallelism) throws Exception {
        if (allowNonRestoredState && savepoint == null) {
            throw new ParameterException(
                    command.commandLine(), "--allow-non-restored-state needs --from-savepoint");
        }
        Path jar = jobJar(command);
        List<String> args = new ArrayList<>();
        options.forEach(
                (key, value) -> {
                    args.add("--" + key);
                    args.add(value);
                });
        JarRun run =
                new JarRun(
                        InspectionJob.class.getName(),
                        args,
                        Optional.of(parallelism),
                        Optional.ofNullable(savepoint),
                        allowNonRestoredState);
        String jobId = cluster.jobs(command).submit(jar, run);
        PrintWriter out = command.commandLine().getOut();
        out.println(
                "job "
                        + jobId
                        + " running on "
                        + cluster.rest(command).address()
                        + (savepoint != null ? " (from savepoint " + savepoint + ")" : "")
                        + "; inctrl status --jobmanager "
                        + cluster.jobManager
                        + " shows it, inctrl stop --jobmanager "
                        + cluster.jobManager
                        + " --savepoint DIR stops it");
        out.flush();
        return ExitCodes.OK;
    }

    private Path jobJar(CommandSpec command) {
        Path jar = jobJar;
        if (jar == null) {
            String home = System.getProperty("inctrl.home");
            if (home == null) {
                throw new ParameterException(
                        command.commandLine(), "--job-jar FILE is needed (no inctrl.home)");
            }
            jar = Path.of(home).resolve(JOB_JAR);
        }
        if (!Files.isRegularFile(jar)) {
            throw new ParameterException(
                    command.commandLine(),
                    "--job-jar: no job jar at "
                            + jar
                            + " (build it with mvn -pl flink-job -am package)");
        }
        return jar;
    }
}
