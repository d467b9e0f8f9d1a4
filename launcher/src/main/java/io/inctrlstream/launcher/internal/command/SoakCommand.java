package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.soak.Soak;
import io.inctrlstream.launcher.internal.soak.SoakReport;
import io.inctrlstream.launcher.internal.soak.SoakSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inctrl soak}: the job under steady load with injected failures, for minutes or hours. */
@Command(
        name = "soak",
        description = {
            "The job under steady load for a while, with task failures injected: checks that"
                    + " every frame is scored exactly once.",
            "Runs an embedded Kafka broker and the inspection job on a local Flink cluster"
                    + " (exactly-once, checkpoints in a temporary folder), registers N lines' shots,"
                    + " sends each line's frames at --fps for --duration, fails a task every"
                    + " --fail-every, and prints a row every --report-every: frames sent and scored,"
                    + " restarts, checkpoints (count, size, duration), heap and direct memory.",
            "Exits 0 only when every frame sent got exactly one committed score and the job ran"
                    + " to the end; 1 otherwise."
        },
        mixinStandardHelpOptions = true)
public final class SoakCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(
            names = "--lines",
            paramLabel = "N",
            defaultValue = "4",
            description = "Production lines, 1..1000 (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(
            names = "--shots",
            paramLabel = "K",
            defaultValue = "4",
            description = "Normal shots per line, 1..16 (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            required = true,
            converter = DurationConverter.class,
            description = "How long the cameras send (e.g. 30m).")
    Duration duration;

    @Option(
            names = "--fps",
            paramLabel = "F",
            defaultValue = "2",
            description = "Frames per second per line (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(
            names = "--fail-every",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Fail a task this often (e.g. 5m); default: no failures.")
    Duration failEvery;

    @Option(
            names = "--report-every",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Time between two rows of figures (default: ${DEFAULT-VALUE}).")
    Duration reportEvery;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(
            names = "--drain-timeout",
            paramLabel = "DURATION",
            defaultValue = "2m",
            converter = DurationConverter.class,
            description =
                    "How long to wait for the last scores after the cameras stopped"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(
            names = "--parallelism",
            paramLabel = "P",
            defaultValue = "1",
            description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--dashboard-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description =
                    "Port of the Flink dashboard, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write the report (every row and the verdict) as JSON to FILE.")
    Path json;

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description = "A job or Flink setting, e.g. -Dinctrl.inference.batch-size=8.")
    Map<String, String> jobSettings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        SoakReport report =
                new Soak(settings(), Terminal.stdout(spec.commandLine().getOut())).run();
        if (!report.passed()) {
            throw new IllegalStateException(report.verdict());
        }
        return ExitCodes.OK;
    }

    /**
     * The settings from the arguments.
     *
     * @throws ParameterException if one is out of range
     */
    SoakSettings settings() {
        try {
            return SoakSettings.builder()
                    .bundle(model.bundle())
                    .device(model.device())
                    .lines(lines)
                    .shotsPerLine(shots)
                    .duration(duration)
                    .fps(fps)
                    .failEvery(failEvery)
                    .reportEvery(reportEvery)
                    .checkpointInterval(checkpointInterval)
                    .drainTimeout(drainTimeout)
                    .parallelism(parallelism)
                    .dashboardPort(dashboardPort)
                    .jsonFile(json)
                    .jobSettings(jobSettings)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
