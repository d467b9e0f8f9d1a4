package io.inctrlstream.job.engine;

import io.inctrlstream.job.engine.internal.BankShots;
import io.inctrlstream.job.engine.internal.DecodedBanks;
import io.inctrlstream.job.engine.internal.SharedEngines;
import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BlockingInferenceBackend;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.ImageFailure;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.InferenceBackendFailedException;
import io.inctrlstream.job.inference.NonRetryableInferenceException;
import io.inctrlstream.job.inference.ScoreValues;
import io.inctrlstream.job.inference.ScoringRequest;
import io.inctrlstream.model.BankPrecision;
import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.ImageFeatures;
import io.inctrlstream.model.InctrlEngine;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ScoreResult;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.ShotBankCodec;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.HeatmapRenderer;
import io.inctrlstream.model.image.ImageDecoder;
import io.inctrlstream.model.image.ImageEncoding;
import io.inctrlstream.model.image.ImagePreprocessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The InCTRL model as the line inference operator's backend: decodes and preprocesses frames and
 * shots, encodes them, builds shot banks (stored as {@link ShotBankCodec} bytes) and scores
 * batches, with the model runtime's {@link InctrlEngine}. Blocking: run it off the task thread with
 * {@code InferenceBackends.onDedicatedThread} ({@link EngineInferenceBackendFactory} does).
 *
 * <p>A frame whose image does not decode (corrupt, truncated, a header declaring too many pixels, a
 * size other than declared, an unsupported kind) is answered as an {@link ImageFailure} (a FAILED
 * score and a dead letter, never retried) whose reason starts with the model runtime's reason
 * ({@code IMAGE_CORRUPT: ...}); a shot image that does not decode makes its command rejected, with
 * the reason. For a scored frame at or above its line's threshold, the backend renders the heatmap
 * PNG (the patch map over the model's input crop) that an alert of that frame carries.
 *
 * <p>Metrics (when given a group): {@code model.<id>.device.<device>.info} (1, the model id and
 * device as labels of an info metric), and {@code imageFailures} counted per {@code
 * imageFailureReason}.
 */
public final class EngineInferenceBackend implements BlockingInferenceBackend {
    static final String MODEL_GROUP = "model";
    static final String DEVICE_GROUP = "device";
    static final String INFO_GAUGE = "info";
    static final String IMAGE_FAILURE_GROUP = "imageFailureReason";
    static final String IMAGE_FAILURES = "imageFailures";

    /** The highest final score the model gives. */
    private static final double MAX_SCORE = 1.0;

    private final SharedEngines.Lease engineLease;
    private final InctrlEngine engine;
    private final ImageDecoder decoder;
    private final ImagePreprocessor preprocessor;
    private final HeatmapRenderer heatmaps;
    private final BankPrecision precision;
    private final String defaultCategory;
    private final DecodedBanks banks;
    private final Executor preparation;

    /**
     * Pixels this backend may hold decoded at once, one full-size frame's worth ({@code
     * inctrl.limits.max-pixels}): small frames are decoded side by side, large ones one at a time.
     */
    private final Semaphore decodingPixels;

    private final int maxDecodingPixels;
    private final Map<ModelException.Reason, Counter> imageFailures;

    /**
     * Batches submitted but not yet scored, with their frames' preparation already started on the
     * pool ({@link #batchSubmitted}), by the identity of the submitted list.
     */
    private final Map<List<ScoringRequest>, List<CompletableFuture<Prepared>>> preparing =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private EngineInferenceBackend(
            SharedEngines.Lease engineLease, EngineBackendSettings settings, MetricGroup metrics) {
        this.engineLease = engineLease;
        this.engine = engineLease.engine();
        this.decoder = new ImageDecoder(settings.decodeLimits());
        this.preprocessor = new ImagePreprocessor(engine.manifest().preprocess().toSpec());
        // Each map on its own range: heatmaps are only rendered at or above the threshold, where
        // the question is where the anomaly lies, not how large the residuals are overall.
        this.heatmaps = HeatmapRenderer.builder().build();
        this.precision = settings.bankPrecision();
        this.defaultCategory = settings.defaultCategory();
        this.banks = new DecodedBanks(settings.decodedBankCacheBytes());
        this.preparation = engineLease.preparation();
        this.maxDecodingPixels =
                (int) Math.min(Integer.MAX_VALUE, settings.decodeLimits().maxPixels());
        this.decodingPixels = new Semaphore(maxDecodingPixels);
        this.imageFailures = new EnumMap<>(ModelException.Reason.class);
        if (metrics != null) {
            String modelId = engine.modelId();
            String device = engine.device().name();
            // An info metric: the model id and device as labels (group variables) of a gauge
            // of 1; a string gauge would export as 0 to Prometheus.
            metrics.addGroup(MODEL_GROUP, modelId)
                    .addGroup(DEVICE_GROUP, device)
                    .gauge(INFO_GAUGE, (Gauge<Integer>) () -> 1);
            for (ModelException.Reason reason : ModelException.Reason.values()) {
                if (imageFailure(reason) != null) {
                    imageFailures.put(
                            reason,
                            metrics.addGroup(IMAGE_FAILURE_GROUP, reason.name())
                                    .counter(IMAGE_FAILURES));
                }
            }
        }
    }

    /**
     * Loads and verifies the bundle and opens the engine.
     *
     * @param metrics where to publish the backend's metrics, or null
     * @throws ModelException if the bundle is missing, corrupt or does not match this runtime, or
     *     the device is unusable
     */
    public static EngineInferenceBackend open(EngineBackendSettings settings, MetricGroup metrics)
            throws ModelException {
        Objects.requireNonNull(settings, "settings");
        SharedEngines.Lease lease =
                SharedEngines.instance()
                        .acquire(Path.of(settings.bundleDirectory()), settings.engineConfig());
        try {
            return new EngineInferenceBackend(lease, settings, metrics);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** The model id, {@code name@version}. */
    public String modelId() {
        return engine.modelId();
    }

    /** The bundle's manifest. */
    public BundleManifest manifest() {
        return engine.manifest();
    }

    @Override
    public BuiltBank buildBank(BankBuildRequest request) throws Exception {
        try {
            return build(request);
        } catch (ModelException e) {
            throw brokenSessionOr(e);
        }
    }

    /**
     * Starts decoding and preprocessing the batch's frames on the preparation pool, so that they
     * are ready when the inference thread takes the batch up after the one it is running: the pool
     * and the model then work side by side instead of in turn.
     */
    @Override
    public void batchSubmitted(List<ScoringRequest> requests) {
        preparing.put(requests, startPreparation(requests));
    }

    @Override
    public List<FrameScoreResult> scoreBatch(List<ScoringRequest> requests) throws Exception {
        try {
            return score(requests);
        } catch (ModelException e) {
            throw brokenSessionOr(e);
        }
    }

    /**
     * A failure that means the engine's session or device is broken, as the operator's signal to
     * fail the task and so reopen the engine; any other model failure as it is (retried).
     */
    Exception brokenSessionOr(ModelException e) {
        if (e.reason() == ModelException.Reason.SESSION_BROKEN) {
            // Shared with the TaskManager's other slots: none of them, restarted, gets it again.
            engineLease.retire();
            return new InferenceBackendFailedException(
                    "the model's ONNX Runtime session is broken: " + describe(e), e);
        }
        return e;
    }

    private BuiltBank build(BankBuildRequest request) throws Exception {
        String category = request.category() != null ? request.category() : defaultCategory;
        List<ImageFeatures> shots = new ArrayList<>();
        if (request.baseBank() != null) {
            try (ShotBank base = decodeBank(request.baseBank(), request.lineId())) {
                shots.addAll(BankShots.of(base));
            }
        }
        if (!request.newShots().isEmpty()) {
            List<float[]> tensors = new ArrayList<>(request.newShots().size());
            for (int i = 0; i < request.newShots().size(); i++) {
                try {
                    tensors.add(preprocessor.preprocess(decode(request.newShots().get(i))));
                } catch (ModelException e) {
                    countImageFailure(e);
                    throw new NonRetryableInferenceException(
                            "shot image " + i + ": " + describe(e), e);
                }
            }
            shots.addAll(engine.encode(tensors));
        }
        ShotBank bank;
        try {
            bank = engine.buildShotBank(shots, category);
        } catch (IllegalArgumentException e) {
            throw new NonRetryableInferenceException(
                    "cannot build the shot bank of line "
                            + request.lineId()
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (ModelException e) {
            if (e.reason() == ModelException.Reason.TEXT_INVALID) {
                throw new NonRetryableInferenceException(
                        "category \"" + category + "\": " + describe(e), e);
            }
            throw e;
        }
        try (bank) {
            return new BuiltBank(ShotBankCodec.encode(bank, precision), bank.shotCount());
        }
    }

    /**
     * Decodes and preprocesses the frames on the engine's preparation pool, in parallel, keeping of
     * each only its tensor and, when it may need a heatmap, its crop to the model input (240 x 240
     * RGB): a frame's full decoded image is garbage once its tensor is made, and frames are decoded
     * side by side only up to {@code inctrl.limits.max-pixels} pixels in all, so a batch of large
     * frames holds at most one of them decoded, as a sequential backend did. Then encodes the batch
     * and scores each line's frames against its bank. A frame's result depends only on the frame
     * (and its line's bank), never on which thread prepared it.
     */
    private List<FrameScoreResult> score(List<ScoringRequest> requests) throws ModelException {
        FrameScoreResult[] results = new FrameScoreResult[requests.size()];
        DecodedImage[] crops = new DecodedImage[requests.size()];
        List<float[]> tensors = new ArrayList<>(requests.size());
        List<Integer> encoded = new ArrayList<>(requests.size());
        List<CompletableFuture<Prepared>> prepared = preparing.remove(requests);
        if (prepared == null) {
            prepared = startPreparation(requests);
        }
        for (int i = 0; i < requests.size(); i++) {
            Prepared frame = joinPreparation(prepared.get(i));
            if (frame.failure() != null) {
                countImageFailure(frame.failure());
                results[i] = frameFailed(frame.failure());
            } else {
                tensors.add(frame.tensor());
                crops[i] = frame.crop();
                encoded.add(i);
            }
        }
        if (!tensors.isEmpty()) {
            List<ImageFeatures> features = engine.encode(tensors);
            // Score each line's frames against its bank, one scorer call per bank.
            Map<String, List<Integer>> byBank = new LinkedHashMap<>();
            for (int n = 0; n < encoded.size(); n++) {
                ScoringRequest request = requests.get(encoded.get(n));
                byBank.computeIfAbsent(
                                request.lineId() + "\n" + request.bank().version(),
                                key -> new ArrayList<>())
                        .add(n);
            }
            for (List<Integer> group : byBank.values()) {
                ScoringRequest first = requests.get(encoded.get(group.get(0)));
                // The lease keeps the bank's direct memory until its heatmaps are rendered.
                try (DecodedBanks.Lease lease = banks.lease(first.bank())) {
                    ShotBank bank = lease.bank();
                    List<ImageFeatures> queries = new ArrayList<>(group.size());
                    for (int n : group) {
                        queries.add(features.get(n));
                    }
                    List<ScoreResult> scores = engine.score(bank, queries);
                    for (int g = 0; g < group.size(); g++) {
                        int index = encoded.get(group.get(g));
                        results[index] =
                                FrameScoreResult.scored(
                                        values(
                                                scores.get(g),
                                                requests.get(index),
                                                crops[index],
                                                bank));
                    }
                } catch (ModelException e) {
                    if (e.reason() != ModelException.Reason.SHOT_BANK_CORRUPT
                            && e.reason() != ModelException.Reason.SHOT_BANK_MISMATCH) {
                        throw e; // not the bank's fault: the whole batch fails and is retried
                    }
                    // Retrying cannot mend the line's bank: its frames fail for good.
                    FrameScoreResult failed =
                            FrameScoreResult.failed(
                                    describe(e)
                                            + " (the shot bank of line \""
                                            + first.lineId()
                                            + "\" at shots version "
                                            + first.bank().version()
                                            + ")");
                    for (int n : group) {
                        results[encoded.get(n)] = failed;
                    }
                }
            }
        }
        return List.of(results);
    }

    private List<CompletableFuture<Prepared>> startPreparation(List<ScoringRequest> requests) {
        List<CompletableFuture<Prepared>> prepared = new ArrayList<>(requests.size());
        for (ScoringRequest request : requests) {
            prepared.add(CompletableFuture.supplyAsync(() -> prepare(request), preparation));
        }
        return prepared;
    }

    /**
     * The model input tensor of a request's frame, with its crop to the model input when the frame
     * may score at or above its threshold (scores are in [0, 1]); or the reason it failed. The
     * tensor is computed from the crop: preprocessing an image already of the model's input size is
     * the identity resize followed by the normalization, so it equals the full image's tensor. Runs
     * on the preparation pool.
     */
    private Prepared prepare(ScoringRequest request) {
        // Declared dimensions: the decoder refuses a frame whose real ones differ.
        long declared = (long) request.image().width() * request.image().height();
        int pixels = (int) Math.min(declared, maxDecodingPixels);
        decodingPixels.acquireUninterruptibly(pixels);
        try {
            DecodedImage image = decode(request.image());
            if (request.threshold() > MAX_SCORE) {
                return new Prepared(preprocessor.preprocess(image), null, null);
            }
            DecodedImage crop = preprocessor.cropToModelInput(image);
            return new Prepared(preprocessor.preprocess(crop), crop, null);
        } catch (ModelException e) {
            return new Prepared(null, null, e);
        } finally {
            decodingPixels.release(pixels);
        }
    }

    /** The prepared frame; an unchecked failure or Error of the preparation is rethrown as is. */
    private static Prepared joinPreparation(CompletableFuture<Prepared> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** A frame made ready for the encoder, or why it could not be. */
    private record Prepared(float[] tensor, DecodedImage crop, ModelException failure) {}

    private ScoreValues values(
            ScoreResult score, ScoringRequest request, DecodedImage crop, ShotBank bank) {
        float[] patchMap = score.patchMap();
        byte[] heatmap = null;
        if (score.finalScore() >= request.threshold()) {
            int grid = engine.manifest().vision().grid();
            heatmap = heatmaps.renderPng(crop, patchMap, grid);
        }
        return new ScoreValues(
                score.finalScore(),
                score.holisticScore(),
                score.patchScore(),
                score.imageScore(),
                score.textScore(),
                patchMap,
                heatmap,
                bank.contentHash());
    }

    private DecodedImage decode(ImagePayload image) throws ModelException {
        return decoder.decode(
                ImageEncoding.valueOf(image.encoding().name()),
                image.data(),
                image.width(),
                image.height());
    }

    private ShotBank decodeBank(byte[] bytes, String lineId) throws NonRetryableInferenceException {
        try {
            return ShotBankCodec.decode(bytes);
        } catch (ModelException e) {
            throw new NonRetryableInferenceException(
                    "the shot bank of line " + lineId + " cannot be read: " + describe(e), e);
        }
    }

    /**
     * The result of a frame whose image failed to decode or preprocess: an image failure (the frame
     * also becomes a dead letter) for the runtime's image reasons, a plain failure otherwise.
     */
    static FrameScoreResult frameFailed(ModelException e) {
        ImageFailure failure = imageFailure(e.reason());
        return failure == null
                ? FrameScoreResult.failed(describe(e))
                : FrameScoreResult.imageFailed(failure, describe(e));
    }

    /** The image failure of a model runtime reason, or null when it is not about an image. */
    static ImageFailure imageFailure(ModelException.Reason reason) {
        switch (reason) {
            case IMAGE_CORRUPT:
                return ImageFailure.IMAGE_CORRUPT;
            case IMAGE_TOO_LARGE:
                return ImageFailure.IMAGE_TOO_LARGE;
            case IMAGE_SIZE_MISMATCH:
                return ImageFailure.IMAGE_SIZE_MISMATCH;
            case IMAGE_UNSUPPORTED:
                return ImageFailure.IMAGE_UNSUPPORTED;
            default:
                return null;
        }
    }

    private void countImageFailure(ModelException e) {
        Counter counter = imageFailures.get(e.reason());
        if (counter != null) {
            counter.inc();
        }
    }

    /** The reason and message of a model failure, as failed scores and rejections report it. */
    static String describe(ModelException e) {
        return e.reason().name() + ": " + e.getMessage();
    }

    @Override
    public void close() {
        preparing.clear();
        try {
            banks.close();
        } finally {
            engineLease.close();
        }
    }
}
