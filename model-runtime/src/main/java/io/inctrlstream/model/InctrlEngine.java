package io.inctrlstream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.inctrlstream.model.internal.DirectBufferPool;
import io.inctrlstream.model.internal.GraphContract;
import io.inctrlstream.model.internal.GraphSessions;
import io.inctrlstream.model.internal.OrtGraph;
import io.inctrlstream.model.internal.PrototypeCache;
import io.inctrlstream.model.internal.ShotPatchBank;
import io.inctrlstream.model.internal.TextPrototypeComputer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntUnaryOperator;

/**
 * Runs one model bundle with ONNX Runtime: encodes preprocessed images into {@link ImageFeatures},
 * turns a line's shots into a {@link ShotBank} once, and scores query features against a bank. A
 * frame's scores do not depend on what it is batched with; batches larger than {@link
 * EngineConfig#maxBatchSize()} are split.
 *
 * <p>Thread-safe. {@link #close()} waits for calls in flight; afterwards encoding, bank building,
 * scoring and prototypes fail with IllegalStateException (the plain accessors keep working).
 */
public final class InctrlEngine implements AutoCloseable {
    /**
     * Idle direct buffers kept for reuse: a call holds at most three (encoder input, encoder
     * outputs, scorer input).
     */
    private static final int POOLED_BUFFERS = 3;

    /**
     * Most categories whose computed prototypes are kept (a few KB each). Every distinct category a
     * line sets would otherwise stay cached for the engine's life; past this many, further ones are
     * computed on each use (a bank build) and not kept.
     */
    static final int PROTOTYPE_CACHE_LIMIT = 1024;

    private final ModelBundle bundle;
    private final EngineConfig config;
    private final GraphSessions graphs;
    private final OrtEnvironment environment;
    private final DirectBufferPool buffers = new DirectBufferPool(POOLED_BUFFERS);
    private final TextPrototypeComputer textPrototypes;
    private final PrototypeCache prototypeCache = new PrototypeCache(PROTOTYPE_CACHE_LIMIT);
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private final int imageSize;
    private final int taps;
    private final int patches;
    private final int width;
    private final int embedDim;

    private InctrlEngine(ModelBundle bundle, EngineConfig config, GraphSessions graphs) {
        this.bundle = bundle;
        this.config = config;
        this.graphs = graphs;
        this.environment = OrtEnvironment.getEnvironment();
        BundleManifest manifest = bundle.manifest();
        this.imageSize = manifest.preprocess().imageSize();
        this.taps = manifest.vision().tapLayers().size();
        this.patches = manifest.vision().patches();
        this.width = manifest.vision().width();
        this.embedDim = manifest.vision().embedDim();
        this.textPrototypes =
                new TextPrototypeComputer(
                        manifest,
                        bundle.file(ModelBundle.ROLE_BPE),
                        graphs.textEncoder(),
                        config.maxBatchSize());
    }

    /**
     * Opens ONNX Runtime sessions for the bundle's three graphs and checks each against the
     * manifest.
     *
     * @throws ModelException BUNDLE_MISMATCH naming graph, tensor, expected and found when a
     *     graph's inputs or outputs differ from the manifest; BUNDLE_CORRUPT when ONNX Runtime
     *     cannot load a graph; DEVICE_UNAVAILABLE when CUDA is requested, unusable and CPU fallback
     *     is off
     * @throws IllegalArgumentException on CUDA, when the configured GPU memory limit leaves a
     *     session less than 1 MiB beyond the bundle's weights ({@link CudaMemoryShares#parts})
     */
    public static InctrlEngine open(ModelBundle bundle, EngineConfig config) throws ModelException {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(config, "config");
        return new InctrlEngine(bundle, config, GraphSessions.open(bundle, config));
    }

    /**
     * Encodes {@code batch} preprocessed images given back to back, each [3, S, S] (CHW,
     * normalized, S = {@code preprocess.image_size}).
     *
     * @throws IllegalArgumentException if {@code pixels} does not hold batch*3*S*S values
     * @throws ModelException INFERENCE_FAILED if the image encoder fails
     */
    public List<ImageFeatures> encode(float[] pixels, int batch) throws ModelException {
        Objects.requireNonNull(pixels, "pixels");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, found " + batch);
        }
        long perImage = pixelsPerImage();
        if (pixels.length != batch * perImage) {
            throw new IllegalArgumentException(
                    "pixels must hold batch*3*"
                            + imageSize
                            + "*"
                            + imageSize
                            + " = "
                            + batch * perImage
                            + " values for batch "
                            + batch
                            + ", found "
                            + pixels.length);
        }
        int imageLength = (int) perImage;
        return encodeImages(Collections.nCopies(batch, pixels), i -> i * imageLength);
    }

    /**
     * Encodes preprocessed images, each [3, S, S] (CHW, normalized).
     *
     * @throws IllegalArgumentException if an image does not hold 3*S*S values
     * @throws ModelException INFERENCE_FAILED if the image encoder fails
     */
    public List<ImageFeatures> encode(List<float[]> images) throws ModelException {
        Objects.requireNonNull(images, "images");
        requireImages(images);
        return encodeImages(images, i -> 0);
    }

    private void requireImages(List<float[]> images) {
        long perImage = pixelsPerImage();
        for (int i = 0; i < images.size(); i++) {
            float[] image = Objects.requireNonNull(images.get(i), "images[" + i + "]");
            if (image.length != perImage) {
                throw new IllegalArgumentException(
                        "images["
                                + i
                                + "] must hold 3*"
                                + imageSize
                                + "*"
                                + imageSize
                                + " = "
                                + perImage
                                + " values, found "
                                + image.length);
            }
        }
    }

    /**
     * Encodes image i of {@code images}, which starts at {@code offsetOf(i)} in its array, in
     * chunks of at most the configured batch size.
     */
    private List<ImageFeatures> encodeImages(List<float[]> images, IntUnaryOperator offsetOf)
            throws ModelException {
        Lock lock = acquireOpen();
        try {
            List<ImageFeatures> features = new ArrayList<>(images.size());
            for (int start = 0; start < images.size(); start += config.maxBatchSize()) {
                int end = Math.min(images.size(), start + config.maxBatchSize());
                features.addAll(encodeChunk(images, offsetOf, start, end));
            }
            return features;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Encodes images [start, end). The outputs are written by ONNX Runtime straight into a pooled
     * direct buffer (pinned outputs), from which each image's arrays are copied once.
     */
    private List<ImageFeatures> encodeChunk(
            List<float[]> images, IntUnaryOperator offsetOf, int start, int end)
            throws ModelException {
        int count = end - start;
        int tokensPerImage = taps * patches * width;
        ByteBuffer out = buffers.acquire((long) count * (tokensPerImage + 2L * embedDim));
        try {
            FloatBuffer tokens = floats(out, 0, count * tokensPerImage);
            FloatBuffer embeddings = floats(out, count * tokensPerImage, count * embedDim);
            FloatBuffer adapted =
                    floats(out, count * (tokensPerImage + embedDim), count * embedDim);
            runEncoder(images, offsetOf, start, end, tokens, embeddings, adapted);
            List<ImageFeatures> features = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                features.add(
                        ImageFeatures.wrap(
                                taps,
                                patches,
                                width,
                                next(tokens, tokensPerImage),
                                next(embeddings, embedDim),
                                next(adapted, embedDim)));
            }
            return features;
        } finally {
            buffers.release(out);
        }
    }

    /**
     * Runs the encoder on images [start, end), ONNX Runtime writing the outputs straight into the
     * given direct native-order views (pinned outputs) of exactly end - start images each.
     */
    private void runEncoder(
            List<float[]> images,
            IntUnaryOperator offsetOf,
            int start,
            int end,
            FloatBuffer tokens,
            FloatBuffer embeddings,
            FloatBuffer adapted)
            throws ModelException {
        int count = end - start;
        int perImage = pixelsPerImage();
        OrtGraph encoder = graphs.imageEncoder();
        ByteBuffer in = buffers.acquire((long) count * perImage);
        try {
            FloatBuffer pixels = in.asFloatBuffer();
            for (int i = start; i < end; i++) {
                pixels.put(images.get(i), offsetOf.applyAsInt(i), perImage);
            }
            pixels.flip();
            try (OnnxTensor input =
                            tensor(encoder, pixels, new long[] {count, 3, imageSize, imageSize});
                    OnnxTensor tokenOutput =
                            tensor(
                                    encoder,
                                    tokens.duplicate(),
                                    new long[] {count, taps, patches, width});
                    OnnxTensor embeddingOutput =
                            tensor(encoder, embeddings.duplicate(), new long[] {count, embedDim});
                    OnnxTensor adaptedOutput =
                            tensor(encoder, adapted.duplicate(), new long[] {count, embedDim})) {
                // The outputs are in the views: the result only needs closing.
                encoder.run(
                                Map.of(GraphContract.PIXELS, input),
                                Map.of(
                                        GraphContract.PATCH_TOKENS, tokenOutput,
                                        GraphContract.EMBEDDING, embeddingOutput,
                                        GraphContract.ADAPTED, adaptedOutput))
                        .close();
            }
        } finally {
            buffers.release(in);
        }
    }

    /** A float view of {@code length} floats of {@code buffer} from float index {@code offset}. */
    private static FloatBuffer floats(ByteBuffer buffer, int offset, int length) {
        ByteBuffer bytes = buffer.duplicate().order(ByteOrder.nativeOrder());
        bytes.position(offset * Float.BYTES).limit((offset + length) * Float.BYTES);
        return bytes.slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** A view of {@code length} floats of {@code buffer} from index {@code offset}, at 0. */
    private static FloatBuffer slice(FloatBuffer buffer, int offset, int length) {
        return buffer.duplicate().position(offset).limit(offset + length).slice();
    }

    private static float[] next(FloatBuffer source, int length) {
        float[] values = new float[length];
        source.get(values);
        return values;
    }

    /**
     * Prepares a line's shots for scoring, once: normalizes and lays out their patch tokens,
     * averages their adapted embeddings and resolves the category's text prototypes.
     *
     * @throws IllegalArgumentException if there are no shots, a shot's dimensions differ from this
     *     model's, or the category is not one {@link Categories} accepts (null, blank, too long)
     * @throws ModelException if the category's prototypes must be computed and that fails
     */
    public ShotBank buildShotBank(List<ImageFeatures> shots, String category)
            throws ModelException {
        Objects.requireNonNull(shots, "shots");
        requireCategory(category);
        if (shots.isEmpty()) {
            throw new IllegalArgumentException("a shot bank needs at least one shot, found none");
        }
        for (int i = 0; i < shots.size(); i++) {
            requireModelDimensions(Objects.requireNonNull(shots.get(i)), "shots[" + i + "]");
        }
        Lock lock = acquireOpen();
        try {
            TextPrototypes prototypes = prototypesLocked(category);
            List<float[]> tokens = new ArrayList<>(shots.size());
            List<float[]> adapted = new ArrayList<>(shots.size());
            for (ImageFeatures shot : shots) {
                tokens.add(shot.patchTokensUnsafe());
                adapted.add(shot.adaptedUnsafe());
            }
            return ShotBank.create(
                    modelId(),
                    category,
                    shots.size(),
                    taps,
                    width,
                    patches,
                    ShotPatchBank.build(tokens, taps, patches, width),
                    ShotPatchBank.mean(adapted),
                    prototypes);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Scores queries against a shot bank, one result per query in order.
     *
     * @throws IllegalArgumentException if a query's dimensions differ from this model's
     * @throws ModelException SHOT_BANK_MISMATCH if the bank was built for another model or other
     *     dimensions; INFERENCE_FAILED if the scorer fails
     */
    public List<ScoreResult> score(ShotBank bank, List<ImageFeatures> queries)
            throws ModelException {
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(queries, "queries");
        requireCompatible(bank);
        for (int i = 0; i < queries.size(); i++) {
            requireModelDimensions(Objects.requireNonNull(queries.get(i)), "queries[" + i + "]");
        }
        Lock lock = acquireOpen();
        try {
            if (queries.isEmpty()) {
                return List.of();
            }
            List<ScoreResult> results = new ArrayList<>(queries.size());
            withBankInputs(
                    bank,
                    bankInputs -> {
                        for (int start = 0;
                                start < queries.size();
                                start += config.maxBatchSize()) {
                            int end = Math.min(queries.size(), start + config.maxBatchSize());
                            results.addAll(scoreChunk(queries.subList(start, end), bankInputs));
                        }
                    });
            return results;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Encodes preprocessed images, each [3, S, S] (CHW, normalized), and scores image i against
     * {@code banks.get(i)}, one result per image in order. The encoder's outputs stay in native
     * memory and go to the scorer from there: as they are when a bank's images are next to each
     * other in the list, gathered with one native copy otherwise; never through {@link
     * ImageFeatures} arrays on the heap. The results are bit-identical to {@link #encode(List)}
     * followed by {@link #score} for each bank's images (banks in order of first appearance): the
     * encoder runs on the same chunks and the scorer on the same batches.
     *
     * @throws IllegalArgumentException if the lists differ in size or an image does not hold 3*S*S
     *     values
     * @throws ModelException SHOT_BANK_MISMATCH if a bank was built for another model or other
     *     dimensions; INFERENCE_FAILED if a graph fails
     */
    public List<ScoreResult> encodeAndScore(List<float[]> images, List<ShotBank> banks)
            throws ModelException {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(banks, "banks");
        requireImages(images);
        if (banks.size() != images.size()) {
            throw new IllegalArgumentException(
                    "expected one bank per image ("
                            + images.size()
                            + "), found "
                            + banks.size()
                            + " banks");
        }
        // Each bank's images, banks in order of first appearance (identity: equal content
        // would need the banks' hashes).
        Map<ShotBank, List<Integer>> byBank = new IdentityHashMap<>();
        List<ShotBank> order = new ArrayList<>();
        for (int i = 0; i < banks.size(); i++) {
            ShotBank bank = Objects.requireNonNull(banks.get(i), "banks[" + i + "]");
            byBank.computeIfAbsent(
                            bank,
                            first -> {
                                order.add(first);
                                return new ArrayList<>();
                            })
                    .add(i);
        }
        for (ShotBank bank : order) {
            requireCompatible(bank);
        }
        Lock lock = acquireOpen();
        try {
            int count = images.size();
            if (count == 0) {
                return List.of();
            }
            int tokensPerImage = taps * patches * width;
            ByteBuffer out = buffers.acquire((long) count * (tokensPerImage + 2L * embedDim));
            try {
                EncodedBatch encoded =
                        new EncodedBatch(
                                floats(out, 0, count * tokensPerImage),
                                floats(out, count * tokensPerImage, count * embedDim),
                                floats(out, count * (tokensPerImage + embedDim), count * embedDim));
                for (int start = 0; start < count; start += config.maxBatchSize()) {
                    int end = Math.min(count, start + config.maxBatchSize());
                    int chunk = end - start;
                    runEncoder(
                            images,
                            i -> 0,
                            start,
                            end,
                            slice(encoded.tokens(), start * tokensPerImage, chunk * tokensPerImage),
                            slice(encoded.embeddings(), start * embedDim, chunk * embedDim),
                            slice(encoded.adapted(), start * embedDim, chunk * embedDim));
                }
                ScoreResult[] results = new ScoreResult[count];
                for (ShotBank bank : order) {
                    List<Integer> members = byBank.get(bank);
                    withBankInputs(
                            bank,
                            bankInputs -> {
                                for (int start = 0;
                                        start < members.size();
                                        start += config.maxBatchSize()) {
                                    List<Integer> batch =
                                            members.subList(
                                                    start,
                                                    Math.min(
                                                            members.size(),
                                                            start + config.maxBatchSize()));
                                    List<ScoreResult> scored =
                                            scoreEncoded(encoded, batch, bankInputs);
                                    for (int j = 0; j < batch.size(); j++) {
                                        results[batch.get(j)] = scored.get(j);
                                    }
                                }
                            });
                }
                return List.of(results);
            } finally {
                buffers.release(out);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The encoder's outputs of a batch, [count, ...] each, in native memory. */
    private record EncodedBatch(FloatBuffer tokens, FloatBuffer embeddings, FloatBuffer adapted) {}

    /** Scores encoded images {@code indices}: as they lie when consecutive, else gathered. */
    private List<ScoreResult> scoreEncoded(
            EncodedBatch encoded, List<Integer> indices, Map<String, OnnxTensor> bankInputs)
            throws ModelException {
        int count = indices.size();
        int tokensPerImage = taps * patches * width;
        int first = indices.get(0);
        if (indices.get(count - 1) - first == count - 1) {
            return runScorer(
                    slice(encoded.tokens(), first * tokensPerImage, count * tokensPerImage),
                    slice(encoded.embeddings(), first * embedDim, count * embedDim),
                    slice(encoded.adapted(), first * embedDim, count * embedDim),
                    count,
                    bankInputs);
        }
        ByteBuffer buffer = buffers.acquire((long) count * (tokensPerImage + 2L * embedDim));
        try {
            FloatBuffer tokens = floats(buffer, 0, count * tokensPerImage);
            FloatBuffer embeddings = floats(buffer, count * tokensPerImage, count * embedDim);
            FloatBuffer adapted =
                    floats(buffer, count * (tokensPerImage + embedDim), count * embedDim);
            for (int index : indices) {
                tokens.put(slice(encoded.tokens(), index * tokensPerImage, tokensPerImage));
                embeddings.put(slice(encoded.embeddings(), index * embedDim, embedDim));
                adapted.put(slice(encoded.adapted(), index * embedDim, embedDim));
            }
            tokens.flip();
            embeddings.flip();
            adapted.flip();
            return runScorer(tokens, embeddings, adapted, count, bankInputs);
        } finally {
            buffers.release(buffer);
        }
    }

    /** What is done with a bank's three scorer inputs while they exist. */
    @FunctionalInterface
    private interface BankInputsUse {
        void accept(Map<String, OnnxTensor> bankInputs) throws ModelException;
    }

    /** The bank's scorer inputs (views of its native buffers, no copy), closed afterwards. */
    private void withBankInputs(ShotBank bank, BankInputsUse use) throws ModelException {
        OrtGraph scorer = graphs.scorer();
        try (OnnxTensor bankTensor =
                        tensor(
                                scorer,
                                bank.bankBytes().asFloatBuffer(),
                                new long[] {taps, width, bank.shotPatches()});
                OnnxTensor meanTensor =
                        tensor(scorer, bank.shotAdaptedMeanDirect(), new long[] {embedDim});
                OnnxTensor prototypeTensor =
                        tensor(scorer, bank.prototypesDirect(), new long[] {2, embedDim})) {
            use.accept(
                    Map.of(
                            GraphContract.SHOT_PATCH_BANK, bankTensor,
                            GraphContract.SHOT_ADAPTED_MEAN, meanTensor,
                            GraphContract.TEXT_PROTOTYPES, prototypeTensor));
        }
    }

    private List<ScoreResult> scoreChunk(
            List<ImageFeatures> queries, Map<String, OnnxTensor> bankInputs) throws ModelException {
        int count = queries.size();
        int tokensPerImage = taps * patches * width;
        ByteBuffer buffer = buffers.acquire((long) count * (tokensPerImage + 2L * embedDim));
        try {
            FloatBuffer tokens = floats(buffer, 0, count * tokensPerImage);
            FloatBuffer embeddings = floats(buffer, count * tokensPerImage, count * embedDim);
            FloatBuffer adapted =
                    floats(buffer, count * (tokensPerImage + embedDim), count * embedDim);
            for (ImageFeatures query : queries) {
                tokens.put(query.patchTokensUnsafe());
                embeddings.put(query.embeddingUnsafe());
                adapted.put(query.adaptedUnsafe());
            }
            tokens.flip();
            embeddings.flip();
            adapted.flip();
            return runScorer(tokens, embeddings, adapted, count, bankInputs);
        } finally {
            buffers.release(buffer);
        }
    }

    /** Runs the scorer on {@code count} queries given as direct native-order views. */
    private List<ScoreResult> runScorer(
            FloatBuffer tokens,
            FloatBuffer embeddings,
            FloatBuffer adapted,
            int count,
            Map<String, OnnxTensor> bankInputs)
            throws ModelException {
        OrtGraph scorer = graphs.scorer();
        try (OnnxTensor tokenTensor =
                        tensor(scorer, tokens, new long[] {count, taps, patches, width});
                OnnxTensor embeddingTensor =
                        tensor(scorer, embeddings, new long[] {count, embedDim});
                OnnxTensor adaptedTensor = tensor(scorer, adapted, new long[] {count, embedDim})) {
            Map<String, OnnxTensor> inputs = new HashMap<>(bankInputs);
            inputs.put(GraphContract.QUERY_PATCH_TOKENS, tokenTensor);
            inputs.put(GraphContract.QUERY_EMBEDDING, embeddingTensor);
            inputs.put(GraphContract.QUERY_ADAPTED, adaptedTensor);
            try (OrtSession.Result result = scorer.run(inputs)) {
                float[] finals = output(scorer, result, GraphContract.FINAL_SCORE, count, 1);
                float[] holistic = output(scorer, result, GraphContract.HOLISTIC_SCORE, count, 1);
                float[] patch = output(scorer, result, GraphContract.PATCH_SCORE, count, 1);
                float[] image = output(scorer, result, GraphContract.IMAGE_SCORE, count, 1);
                float[] text = output(scorer, result, GraphContract.TEXT_SCORE, count, 1);
                float[] maps = output(scorer, result, GraphContract.PATCH_MAP, count, patches);
                List<ScoreResult> results = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    results.add(
                            new ScoreResult(
                                    finals[i],
                                    holistic[i],
                                    patch[i],
                                    image[i],
                                    text[i],
                                    slice(maps, i, patches)));
                }
                return results;
            }
        }
    }

    /**
     * The category's text prototypes: the bundle's precomputed ones when it lists the category,
     * else computed with the text encoder; cached per category (the first {@value
     * #PROTOTYPE_CACHE_LIMIT} categories).
     *
     * @throws IllegalArgumentException if the category is null, blank or longer than {@link
     *     Categories#MAX_LENGTH}
     * @throws ModelException TEXT_INVALID or INFERENCE_FAILED if computing them fails
     */
    public TextPrototypes prototypes(String category) throws ModelException {
        requireCategory(category);
        Lock lock = acquireOpen();
        try {
            return prototypesLocked(category);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Computes the category's prototypes with the tokenizer and the text encoder, ignoring the
     * bundle's precomputed ones and the cache (to verify a bundle, or for tools).
     *
     * @throws IllegalArgumentException if the category is null, blank or longer than {@link
     *     Categories#MAX_LENGTH}
     * @throws ModelException TEXT_INVALID or INFERENCE_FAILED if computing them fails
     */
    public TextPrototypes computePrototypes(String category) throws ModelException {
        requireCategory(category);
        Lock lock = acquireOpen();
        try {
            return textPrototypes.compute(category);
        } finally {
            lock.unlock();
        }
    }

    private TextPrototypes prototypesLocked(String category) throws ModelException {
        TextPrototypes cached = prototypeCache.get(category);
        if (cached != null) {
            return cached;
        }
        TextPrototypes resolved = bundle.precomputedPrototypes().get(category);
        if (resolved == null) {
            resolved = textPrototypes.compute(category);
        }
        return prototypeCache.keep(category, resolved);
    }

    /** The device the graphs actually run on (CPU after a CUDA fallback). */
    public Device device() {
        return graphs.device();
    }

    /** The model id, {@code name@version}. */
    public String modelId() {
        return bundle.modelId();
    }

    public BundleManifest manifest() {
        return bundle.manifest();
    }

    public EngineConfig config() {
        return config;
    }

    /** Releases the ONNX Runtime sessions, after waiting for calls in flight. Idempotent. */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                graphs.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "InctrlEngine[" + modelId() + " on " + device() + "]";
    }

    private Lock acquireOpen() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new IllegalStateException("engine for " + modelId() + " is closed");
        }
        return lock;
    }

    private int pixelsPerImage() {
        return 3 * imageSize * imageSize;
    }

    private void requireCompatible(ShotBank bank) throws ModelException {
        if (!bank.modelId().equals(modelId())) {
            throw new ModelException(
                    ModelException.Reason.SHOT_BANK_MISMATCH,
                    "shot bank for category '"
                            + bank.category()
                            + "' was built for model "
                            + bank.modelId()
                            + ", this engine runs "
                            + modelId());
        }
        if (bank.taps() != taps
                || bank.width() != width
                || bank.patches() != patches
                || bank.embedDim() != embedDim) {
            throw new ModelException(
                    ModelException.Reason.SHOT_BANK_MISMATCH,
                    "shot bank dimensions (taps "
                            + bank.taps()
                            + ", width "
                            + bank.width()
                            + ", patches "
                            + bank.patches()
                            + ", embed "
                            + bank.embedDim()
                            + ") differ from model "
                            + modelId()
                            + " (taps "
                            + taps
                            + ", width "
                            + width
                            + ", patches "
                            + patches
                            + ", embed "
                            + embedDim
                            + ")");
        }
    }

    private void requireModelDimensions(ImageFeatures features, String what) {
        if (features.taps() != taps
                || features.patches() != patches
                || features.width() != width
                || features.embedDim() != embedDim) {
            throw new IllegalArgumentException(
                    what
                            + " has dimensions (taps "
                            + features.taps()
                            + ", patches "
                            + features.patches()
                            + ", width "
                            + features.width()
                            + ", embed "
                            + features.embedDim()
                            + "), model "
                            + modelId()
                            + " needs (taps "
                            + taps
                            + ", patches "
                            + patches
                            + ", width "
                            + width
                            + ", embed "
                            + embedDim
                            + ")");
        }
    }

    private static void requireCategory(String category) {
        Categories.require(category);
    }

    private OnnxTensor tensor(OrtGraph graph, FloatBuffer data, long[] shape)
            throws ModelException {
        try {
            return OnnxTensor.createTensor(environment, data, shape);
        } catch (OrtException e) {
            throw new ModelException(
                    ModelException.Reason.INFERENCE_FAILED,
                    "graph " + graph.name() + ": cannot create an input tensor: " + e.getMessage(),
                    e);
        }
    }

    private static float[] output(
            OrtGraph graph, OrtSession.Result result, String name, int batch, int perItem)
            throws ModelException {
        float[] values = graph.floatOutput(result, name);
        if (values.length != (long) batch * perItem) {
            throw new ModelException(
                    ModelException.Reason.INFERENCE_FAILED,
                    "graph "
                            + graph.name()
                            + " output '"
                            + name
                            + "' has "
                            + values.length
                            + " values, expected "
                            + (long) batch * perItem
                            + " for batch "
                            + batch);
        }
        return values;
    }

    private static float[] slice(float[] values, int index, int length) {
        float[] slice = new float[length];
        System.arraycopy(values, index * length, slice, 0, length);
        return slice;
    }
}
