package io.inctrlstream.launcher.internal.bench;

import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.engine.EngineInferenceBackend;
import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.ScoringRequest;
import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.model.InctrlEngine;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.image.ImageDecoder;
import io.inctrlstream.model.image.ImagePreprocessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bare engine doing the job's per-frame work, from encoded JPEG bytes to scores, with no Kafka
 * and no Flink, on the job's own engine settings (bundle, intra-op threads, batch size):
 *
 * <ul>
 *   <li><b>parallel</b> ({@code engine_fps}): decoding and preprocessing on a pool of {@code
 *       threads} workers that feed full batches to one inference thread, which encodes them and
 *       scores each line's frames against its bank ({@link InctrlEngine#encodeAndScore}, the
 *       encoder's outputs going to the scorer without copies through the heap). What the job could
 *       reach on these cores with decoding off the inference thread.
 *   <li><b>serial</b> ({@code engine_serial_fps}): the job's backend itself, {@link
 *       EngineInferenceBackend#scoreBatch}, called back to back with full batches on one thread:
 *       decoding and inference take turns, as they do in the job today.
 * </ul>
 *
 * Lines' thresholds are 1.0 (good parts), so no heatmap is rendered, as in the pipeline phases.
 */
final class EngineBench {
    /** Threshold of every line: no frame reaches it, so no heatmaps are rendered. */
    static final double THRESHOLD = 1.0;

    /** How long one round of a warm-up scores before the JIT compiler's share is looked at. */
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(2);

    private final EngineBackendSettings settings;
    private final BenchFrames frames;
    private final int decodeThreads;
    private final JitSettling jit;
    private final Duration minimumWarmup;
    private final Duration maximumWarmup;

    /**
     * @param jit decides when a warm-up is over
     * @param minimumWarmup the shortest warm-up of each measurement
     * @param maximumWarmup the longest, if the JIT compiler does not settle before
     */
    EngineBench(
            EngineBackendSettings settings,
            BenchFrames frames,
            int decodeThreads,
            JitSettling jit,
            Duration minimumWarmup,
            Duration maximumWarmup) {
        this.settings = settings;
        this.frames = frames;
        this.decodeThreads = decodeThreads;
        this.jit = jit;
        this.minimumWarmup = minimumWarmup;
        this.maximumWarmup = maximumWarmup;
    }

    /**
     * Frames scored and the seconds it took, the JIT compiler's share meanwhile (in cores) and the
     * warm-up before.
     */
    record Throughput(long frames, double seconds, double jitCores, JitSettling.Outcome warmup) {
        double fps() {
            return frames / seconds;
        }
    }

    /** Work scored for a while: one call of it returns the frames it scored. */
    private interface Scoring {
        long scoreSome() throws Exception;
    }

    /** Warms {@code scoring} up until the JIT settles, then counts frames for {@code duration}. */
    private Throughput measure(Duration duration, Scoring scoring) throws Exception {
        JitSettling.Outcome warmup =
                jit.warmUp(
                        minimumWarmup,
                        maximumWarmup,
                        () -> {
                            long end = System.nanoTime() + WARMUP_ROUND.toNanos();
                            while (System.nanoTime() < end) {
                                scoring.scoreSome();
                            }
                        });
        JitSettling.Reading before = jit.now();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long scored = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            scored += scoring.scoreSome();
        }
        return new Throughput(scored, (now - start) / 1e9, before.coresUntil(jit.now()), warmup);
    }

    /**
     * Decoding on a pool, inference on this thread; warms up until the JIT compiler settles, then
     * counts the frames scored during {@code duration}.
     */
    Throughput parallel(Duration duration) throws Exception {
        ModelBundle bundle = ModelBundle.load(Path.of(settings.bundleDirectory()));
        try (InctrlEngine engine = InctrlEngine.open(bundle, settings.engineConfig())) {
            int batch = settings.engineConfig().maxBatchSize();
            List<ShotBank> banks = new ArrayList<>();
            ImageDecoder decoder = new ImageDecoder(settings.decodeLimits());
            ImagePreprocessor preprocessor =
                    new ImagePreprocessor(engine.manifest().preprocess().toSpec());
            for (BenchFrames.Line line : frames.lines()) {
                List<float[]> shots = new ArrayList<>();
                for (byte[] shot : line.shots()) {
                    shots.add(preprocess(decoder, preprocessor, shot));
                }
                banks.add(engine.buildShotBank(engine.encode(shots), line.category()));
            }
            BlockingQueue<Prepared> ready = new ArrayBlockingQueue<>(2 * batch);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong next = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(decodeThreads, daemon());
            List<Future<?>> workers = new ArrayList<>();
            try {
                for (int w = 0; w < decodeThreads; w++) {
                    workers.add(
                            pool.submit(
                                    () -> {
                                        ImageDecoder own =
                                                new ImageDecoder(settings.decodeLimits());
                                        ImagePreprocessor pre =
                                                new ImagePreprocessor(preprocessor.spec());
                                        while (!stop.get()) {
                                            long n = next.getAndIncrement();
                                            int line = (int) (n % frames.lines().size());
                                            byte[] jpeg = frames.line(n).frame(n / banks.size());
                                            ready.put(
                                                    new Prepared(line, preprocess(own, pre, jpeg)));
                                        }
                                        return null;
                                    }));
                }
                return measure(
                        duration, () -> scoreBatch(engine, banks, take(ready, batch, workers)));
            } finally {
                stop.set(true);
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The job's backend on one thread, full batches back to back; warms up until the JIT compiler
     * settles, then counts the frames scored during {@code duration}.
     *
     * @throws IllegalStateException if a frame is not scored
     */
    Throughput serial(Duration duration) throws Exception {
        try (EngineInferenceBackend backend = EngineInferenceBackend.open(settings, null)) {
            List<ShotBankRef> banks = new ArrayList<>();
            for (BenchFrames.Line line : frames.lines()) {
                List<ImagePayload> shots = new ArrayList<>();
                for (byte[] shot : line.shots()) {
                    shots.add(payload(shot));
                }
                BuiltBank bank =
                        backend.buildBank(
                                new BankBuildRequest(line.lineId(), null, shots, line.category()));
                banks.add(new ShotBankRef(line.lineId(), 1, bank.bytes()));
            }
            int batch = settings.engineConfig().maxBatchSize();
            long[] next = {0};
            return measure(duration, () -> scoreAll(backend, requests(banks, batch, next)));
        }
    }

    private List<ScoringRequest> requests(List<ShotBankRef> banks, int batch, long[] next) {
        List<ScoringRequest> requests = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            long n = next[0]++;
            BenchFrames.Line line = frames.line(n);
            requests.add(
                    new ScoringRequest(
                            line.lineId(),
                            "f-" + n,
                            banks.get((int) (n % banks.size())),
                            payload(line.frame(n / banks.size())),
                            THRESHOLD));
        }
        return requests;
    }

    private static int scoreAll(EngineInferenceBackend backend, List<ScoringRequest> requests)
            throws Exception {
        List<FrameScoreResult> results = backend.scoreBatch(requests);
        for (FrameScoreResult result : results) {
            if (!result.isScored()) {
                throw new IllegalStateException(
                        "the engine did not score a benchmark frame: " + result);
            }
        }
        return results.size();
    }

    /** One frame decoded and preprocessed, with the index of its line. */
    private record Prepared(int line, float[] tensor) {}

    /** A full batch: waits for the first frame, then for the rest. */
    private static List<Prepared> take(
            BlockingQueue<Prepared> ready, int batch, List<Future<?>> workers) throws Exception {
        List<Prepared> taken = new ArrayList<>(batch);
        while (taken.size() < batch) {
            Prepared prepared = ready.poll(1, TimeUnit.SECONDS);
            if (prepared != null) {
                taken.add(prepared);
            } else {
                for (Future<?> worker : workers) {
                    if (worker.isDone()) {
                        worker.get(); // a decoding failure ends the benchmark with its cause
                        throw new IllegalStateException("a decoding worker stopped early");
                    }
                }
            }
        }
        return taken;
    }

    /** Encodes the batch and scores each frame against its line's bank, in one engine call. */
    private static int scoreBatch(InctrlEngine engine, List<ShotBank> banks, List<Prepared> batch)
            throws ModelException {
        List<float[]> tensors = new ArrayList<>(batch.size());
        List<ShotBank> frameBanks = new ArrayList<>(batch.size());
        for (Prepared prepared : batch) {
            tensors.add(prepared.tensor());
            frameBanks.add(banks.get(prepared.line()));
        }
        return engine.encodeAndScore(tensors, frameBanks).size();
    }

    private static float[] preprocess(
            ImageDecoder decoder, ImagePreprocessor preprocessor, byte[] jpeg)
            throws ModelException {
        return preprocessor.preprocess(
                decoder.decode(
                        io.inctrlstream.model.image.ImageEncoding.JPEG,
                        jpeg,
                        BenchFrames.WIDTH,
                        BenchFrames.HEIGHT));
    }

    static ImagePayload payload(byte[] jpeg) {
        return new ImagePayload(ImageEncoding.JPEG, BenchFrames.WIDTH, BenchFrames.HEIGHT, jpeg);
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "inctrl-bench-decode");
            thread.setDaemon(true);
            return thread;
        };
    }
}
