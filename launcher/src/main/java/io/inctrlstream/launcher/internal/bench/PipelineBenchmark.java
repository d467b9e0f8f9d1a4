package io.inctrlstream.launcher.internal.bench;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.model.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * {@code inctrl bench pipeline}: in one run, on the same machine, frames and thread budget, the
 * bare engine ({@link EngineBench}) and the whole job on Kafka ({@link PipelineBench}), with the
 * machine's load before and after.
 */
public final class PipelineBenchmark {
    private static final long SEED = 8;

    private final PipelineBenchSettings settings;

    public PipelineBenchmark(PipelineBenchSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs the benchmark.
     *
     * @param progress told what each step is about to do
     * @throws IllegalStateException if a frame is not scored or the job fails
     */
    public PipelineBenchResult run(Consumer<String> progress) throws Exception {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        double loadBefore = MachineLoad.oneMinute();
        String modelId = ModelBundle.load(settings.bundle()).modelId();
        progress.accept("encoding the frames (640x480 JPEG)");
        BenchFrames frames =
                BenchFrames.generate(
                        settings.lines(), settings.shotsPerLine(), settings.distinctFrames(), SEED);
        Path checkpoints = Files.createTempDirectory("inctrl-bench-checkpoints-");
        try {
            Configuration job = jobConfiguration(checkpoints);
            EngineBackendSettings engineSettings = EngineBackendSettings.from(job);
            EngineBench engine =
                    new EngineBench(
                            engineSettings,
                            frames,
                            settings.threads(),
                            JitSettling.ofThisJvm(),
                            settings.engineDuration().dividedBy(3),
                            settings.engineDuration().multipliedBy(3));
            progress.accept("bare engine, decoding on " + settings.threads() + " threads");
            EngineBench.Throughput parallel = engine.parallel(settings.engineDuration());
            progress.accept("bare engine, the job's backend alone");
            EngineBench.Throughput serial = engine.serial(settings.engineDuration());
            PipelineBench.Figures pipeline =
                    new PipelineBench(settings, frames).run(job, parallel.fps(), progress);
            return new PipelineBenchResult(
                    "pipeline",
                    started.toString(),
                    modelId,
                    settings.lines(),
                    settings.threads(),
                    settings.parallelism(),
                    engineSettings.engineConfig().maxBatchSize(),
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.vendor")
                            + " "
                            + System.getProperty("java.vm.name")
                            + " "
                            + System.getProperty("java.vm.version"),
                    settings.inProcessBroker() ? "in-process" : "process",
                    parallel.fps(),
                    serial.fps(),
                    parallel.warmup().seconds(),
                    parallel.jitCores(),
                    pipeline.warmup().seconds(),
                    parallel.warmup().settled()
                            && serial.warmup().settled()
                            && pipeline.warmup().settled(),
                    pipeline.pipelineFps(),
                    pipeline.pipelineFps() / parallel.fps(),
                    pipeline.saturationJitCores(),
                    pipeline.saturationFrames(),
                    pipeline.producerFps(),
                    pipeline.latencyRateFps(),
                    pipeline.latencyFrames(),
                    pipeline.latencyP50Ms(),
                    pipeline.latencyP99Ms(),
                    pipeline.latencyMaxMs(),
                    pipeline.latencyJitCores(),
                    pipeline.latencyToScoredP50Ms(),
                    pipeline.latencyToScoredP99Ms(),
                    loadBefore,
                    MachineLoad.oneMinute(),
                    (System.nanoTime() - startNanos) / 1e9,
                    settings.jobSettings());
        } finally {
            deleteRecursively(checkpoints);
        }
    }

    /**
     * The job's settings for both measurements: the bundle, the thread budget, checkpoints on file
     * storage, no restarts (a failure ends the run), then the extra settings.
     */
    Configuration jobConfiguration(Path checkpoints) {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.MODEL_BUNDLE, settings.bundle().toString());
        config.set(InspectionJobOptions.GROUP_ID, "inctrl-bench");
        config.set(InspectionJobOptions.INTRA_OP_THREADS, settings.threads());
        config.set(InspectionJobOptions.CHECKPOINT_INTERVAL, settings.checkpointInterval());
        config.set(InspectionJobOptions.CHECKPOINT_DIR, checkpoints.toUri().toString());
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        config.addAll(Configuration.fromMap(settings.jobSettings()));
        return config;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary folder left behind is not worth failing the run for
        }
    }
}
