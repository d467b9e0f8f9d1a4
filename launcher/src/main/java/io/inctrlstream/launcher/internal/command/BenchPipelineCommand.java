package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.bench.PipelineBenchResult;
import io.inctrlstream.launcher.internal.bench.PipelineBenchSettings;
import io.inctrlstream.launcher.internal.bench.PipelineBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inctrl bench pipeline}: the bare engine against the whole job on Kafka, in one run. */
@Command(
        name = "pipeline",
        description = {
            "The bare engine (engine_fps) against the whole job on Kafka (pipeline_fps, and the"
                    + " capture-to-score latency at half of it), in one run on the same frames"
                    + " (640x480 JPEG) and thread budget. Prints the figures and the machine's"
                    + " load; --json writes them.",
            "An in-process Kafka broker and a local Flink cluster; nothing else may run on the"
                    + " cores for the figures to mean much."
        },
        mixinStandardHelpOptions = true)
public final class BenchPipelineCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(
            names = "--quick",
            description = "A run of a few minutes: fewer frames, shorter phases.")
    boolean quick;

    @Option(
            names = "--lines",
            paramLabel = "N",
            defaultValue = "4",
            description = "Production lines, each with its own shots (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description =
                    "Thread budget: ONNX Runtime intra-op threads of the engine and of the job, and"
                            + " the engine's decoding threads (default: the cores).")
    Integer threads;

    @Option(
            names = "--parallelism",
            paramLabel = "P",
            defaultValue = "1",
            description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--frames-per-line",
            paramLabel = "N",
            description = "Frames per line of the saturation phase (default: 320, --quick 240).")
    Integer framesPerLine;

    @Option(
            names = "--engine-duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long the bare engine is timed (default: 30s, --quick 10s), after a"
                            + " warm-up of at least a third of it that goes on until the JIT"
                            + " compiler settles, for at most three times it.")
    Duration engineDuration;

    @Option(
            names = "--latency-duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long the paced latency phase runs (default: 60s, --quick 20s).")
    Duration latencyDuration;

    @Option(
            names = "--pipeline-warmup",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "The longest the job warms up at saturation before it is measured; it stops"
                            + " earlier once the JIT compiler has settled (default: 300s, --quick"
                            + " 180s).")
    Duration pipelineWarmup;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "The job's checkpoint interval, on file storage (default: 10s).")
    Duration checkpointInterval;

    @Option(
            names = "--in-process-broker",
            description =
                    "Run the Kafka broker in this JVM, as runs before 2026-12-02 did, instead of"
                            + " in a process of its own (for comparing figures).")
    boolean inProcessBroker;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Also write the figures as JSON to this file.")
    Path json;

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description =
                    "A job or Flink setting for both measurements, e.g."
                            + " -Dinctrl.inference.batch-size=16.")
    Map<String, String> jobSettings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PipelineBenchSettings settings = settings();
        if (json != null && Files.isDirectory(json)) {
            throw new ParameterException(
                    spec.commandLine(), "--json must name a file, found the folder " + json);
        }
        PrintWriter out = spec.commandLine().getOut();
        PipelineBenchResult result =
                new PipelineBenchmark(settings)
                        .run(
                                step -> {
                                    out.println("bench pipeline: " + step + " ...");
                                    out.flush();
                                });
        out.println(summary(result));
        if (json != null) {
            result.writeJson(json);
            out.println("JSON: " + json);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The validated settings.
     *
     * @throws ParameterException (a usage error) for a value out of range
     */
    PipelineBenchSettings settings() {
        Path bundle = model.bundle();
        if (model.device() != io.inctrlstream.model.Device.CPU) {
            jobSettings.putIfAbsent("inctrl.model.device", model.device().name());
        }
        PipelineBenchSettings.Builder builder = PipelineBenchSettings.builder(bundle);
        if (quick) {
            builder.quick();
        }
        builder.lines(lines).parallelism(parallelism).inProcessBroker(inProcessBroker);
        if (threads != null) {
            builder.threads(threads);
        }
        if (framesPerLine != null) {
            builder.saturationFramesPerLine(framesPerLine);
        }
        if (engineDuration != null) {
            builder.engineDuration(engineDuration);
        }
        if (latencyDuration != null) {
            builder.latencyDuration(latencyDuration);
        }
        if (pipelineWarmup != null) {
            builder.pipelineWarmup(pipelineWarmup);
        }
        if (checkpointInterval != null) {
            builder.checkpointInterval(checkpointInterval);
        }
        jobSettings.forEach(builder::jobSetting);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    static String summary(PipelineBenchResult r) {
        return String.format(
                Locale.ROOT,
                "%s, %d lines, %d threads, parallelism %d, batch %d, %d cores, broker %s%n"
                        + "  engine_fps          %8.1f  (decoding on a pool; the job's backend"
                        + " alone: %.1f)%n"
                        + "  pipeline_fps        %8.1f  (%.2f x engine_fps; %d frames, produced at"
                        + " %.0f/s)%n"
                        + "  latency at %.1f/s: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d"
                        + " frames)%n"
                        + "    of which capture to scored in the job: p50 %.0f ms, p99 %.0f ms%n"
                        + "  warm-up: engine %.0f s, job %.0f s; JIT compiler %s; its share"
                        + " (cores): engine %.2f, saturation %.2f, latency %.2f%n"
                        + "  load (1 min) %.2f before, %.2f after; %.0f s",
                r.modelId(),
                r.lines(),
                r.threads(),
                r.parallelism(),
                r.batchSize(),
                r.cores(),
                r.broker(),
                r.engineFps(),
                r.engineSerialFps(),
                r.pipelineFps(),
                r.pipelineToEngine(),
                r.saturationFrames(),
                r.producerFps(),
                r.latencyRateFps(),
                r.latencyP50Ms(),
                r.latencyP99Ms(),
                r.latencyMaxMs(),
                r.latencyFrames(),
                r.latencyToScoredP50Ms(),
                r.latencyToScoredP99Ms(),
                r.engineWarmupS(),
                r.pipelineWarmupS(),
                r.jitSettled() ? "settled" : "NOT settled",
                r.engineJitCores(),
                r.saturationJitCores(),
                r.latencyJitCores(),
                r.load1mBefore(),
                r.load1mAfter(),
                r.seconds());
    }
}
