package io.inctrlstream.benchmarks;

import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.ImageFeatures;
import io.inctrlstream.model.InctrlEngine;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ScoreResult;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.image.ImagePreprocessor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the engine does per micro-batch of frames: encode a batch of preprocessed frames and score
 * it against a line's bank of K = 4 shots (built once in setup, as a line does when its shots are
 * registered). One invocation is one batch; each iteration times exactly one invocation, so the
 * percentiles of the run are over iterations, and frames/s = batch / median seconds per invocation.
 * Same work as the PyTorch bench ({@code python3 -m inctrl_export bench}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class ScoringBenchmark {
    static final int SHOTS = 4;

    /**
     * The text-prior category used when the bundle has no precomputed prototypes: one prompt each.
     */
    static final String FALLBACK_CATEGORY = "airplane";

    /** Bundle directory (fp32 or int8). */
    @Param("model-runtime/bundles/inctrl-tiny")
    public String bundle;

    @Param({"1", "8", "32"})
    public int batch;

    /**
     * The engine's largest batch per graph run ({@link EngineConfig#maxBatchSize()}); {@code 0}
     * means the engine's default ({@link EngineConfig#DEFAULT_MAX_BATCH_SIZE}, 16; the job passes
     * its {@code inctrl.inference.batch-size}, 8 by default). A larger request runs as consecutive
     * graph runs of at most this many frames, which changes no score because scores do not depend
     * on the batch; set it to the batch to time one graph run per request.
     */
    @Param("0")
    public int maxBatchSize;

    /** ONNX Runtime intra-op threads (the PyTorch bench uses the same count). */
    @Param("2")
    public int threads;

    private InctrlEngine engine;
    private ShotBank bank;
    private float[] queries;

    @Setup
    public void setUp() throws ModelException {
        ModelBundle loaded = ModelBundle.load(Path.of(bundle));
        engine =
                InctrlEngine.open(
                        loaded,
                        EngineConfig.builder()
                                .intraOpThreads(threads)
                                .interOpThreads(1)
                                .maxBatchSize(
                                        maxBatchSize > 0
                                                ? maxBatchSize
                                                : EngineConfig.DEFAULT_MAX_BATCH_SIZE)
                                .build());
        ImagePreprocessor preprocessor = BenchInputs.preprocessor(engine.manifest());
        List<ImageFeatures> shots =
                engine.encode(
                        BenchInputs.preprocessedBatch(preprocessor, SHOTS, 320, 240, 1), SHOTS);
        bank = engine.buildShotBank(shots, category(loaded));
        queries = BenchInputs.preprocessedBatch(preprocessor, batch, 320, 240, 100);
    }

    static String category(ModelBundle bundle) {
        return bundle.precomputedPrototypes().keySet().stream()
                .sorted()
                .findFirst()
                .orElse(FALLBACK_CATEGORY);
    }

    @Benchmark
    public List<ScoreResult> encodeAndScore() throws ModelException {
        return engine.score(bank, engine.encode(queries, batch));
    }

    @TearDown
    public void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }
}
