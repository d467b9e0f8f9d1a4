package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.demo.Demo;
import io.inctrlstream.launcher.internal.demo.DemoSettings;
import io.inctrlstream.launcher.internal.demo.DemoSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inctrl demo}: everything on this machine, with simulated cameras. */
@Command(
        name = "demo",
        description = {
            "The whole pipeline on this machine, with simulated cameras and a live view.",
            "Runs an embedded Kafka broker, the inspection job"
                    + " on a local Flink cluster with its web dashboard, and simulated cameras for"
                    + " several production lines (metal parts, printed labels, circuit boards) with"
                    + " occasional defects (scratches, spots, missing or shifted parts).",
            "Each line's normal shots, threshold (calibrated on good parts) and alert policy are"
                    + " registered through the control topic; a live view shows every line's"
                    + " frames/s, latency, scores, anomalies and alerts; alert heatmaps are written"
                    + " to a folder. Ctrl-C stops everything."
        },
        mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(
            names = "--lines",
            paramLabel = "N",
            defaultValue = "3",
            description = "Production lines to simulate, 1..12 (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(
            names = "--fps",
            paramLabel = "F",
            defaultValue = "2",
            description = "Frames per second per line (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "Stop after the cameras ran this long (e.g. 40s, 5m); exit 0 when every"
                            + " frame sent was scored, else 5; default: until Ctrl-C.")
    Duration duration;

    @Option(
            names = "--heatmaps",
            paramLabel = "DIR",
            description = "Folder for alert heatmaps (default: a new temporary folder).")
    Path heatmaps;

    @Option(
            names = "--dashboard-port",
            paramLabel = "PORT",
            defaultValue = "8081",
            description =
                    "Port of the Flink web dashboard on localhost, 0 for any free one"
                            + " (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(
            names = "--defect-rate",
            paramLabel = "RATE",
            defaultValue = "0.1",
            description =
                    "Share of frames with a simulated defect, 0..1 (default: ${DEFAULT-VALUE}).")
    double defectRate;

    @Option(
            names = "--seed",
            paramLabel = "SEED",
            defaultValue = "42",
            description =
                    "Seed of the products and of the defect injection (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--threshold",
            paramLabel = "T",
            description = "One threshold for every line instead of calibrating each on good parts.")
    Double threshold;

    @Option(
            names = "--shots",
            paramLabel = "K",
            defaultValue = "4",
            description = "Normal shots per line, 1..16 (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(
            names = "--parallelism",
            paramLabel = "P",
            defaultValue = "1",
            description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--alert-cooldown",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "Least time between two alerts of a line (default: ${DEFAULT-VALUE}).")
    Duration alertCooldown;

    @Option(
            names = "--max-unanswered",
            paramLabel = "N",
            defaultValue = "16",
            description =
                    "Most frames of a line sent and not yet scored; beyond it the camera skips"
                            + " frames, counted as dropped at the camera (default:"
                            + " ${DEFAULT-VALUE}).")
    int maxUnanswered;

    @Option(names = "--plain", description = "Plain periodic lines instead of a live screen.")
    boolean plain;

    @Option(
            names = "--summary",
            paramLabel = "FILE",
            description = "Write a JSON summary of the run to FILE at the end.")
    Path summary;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings;
        try {
            settings =
                    DemoSettings.builder()
                            .bundle(model.bundle())
                            .device(model.device())
                            .lines(lines)
                            .fps(fps)
                            .duration(duration)
                            .heatmaps(heatmaps)
                            .dashboardPort(dashboardPort)
                            .defectRate(defectRate)
                            .seed(seed)
                            .threshold(threshold)
                            .shotsPerLine(shots)
                            .parallelism(parallelism)
                            .alertCooldown(alertCooldown)
                            .ansi(!plain && Terminal.isInteractive())
                            .summaryFile(summary)
                            .maxUnanswered(maxUnanswered)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintStream out = Terminal.stdout(spec.commandLine().getOut());
        Demo demo = new Demo(settings, out);
        Thread hook =
                new Thread(
                        () -> {
                            demo.stop();
                            try {
                                demo.awaitFinished(Duration.ofSeconds(90));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "inctrl-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DemoSummary result = demo.run();
            demo.report(result);
            return result.complete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running
            }
        }
    }
}
