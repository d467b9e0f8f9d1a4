package io.inctrlstream.launcher.internal;

import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.ImageFeatures;
import io.inctrlstream.model.InctrlEngine;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ScoreResult;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.HeatmapRenderer;
import io.inctrlstream.model.image.ImageDecoder;
import io.inctrlstream.model.image.ImageEncoding;
import io.inctrlstream.model.image.ImagePreprocessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores images against shots with a model bundle in this JVM, without Kafka or Flink: decode,
 * preprocess, encode, build the shot bank, score, and render heatmaps. Used by {@code inctrl score}
 * and by the demo's threshold calibration; {@code inctrl eval} and {@code inctrl threshold suggest}
 * use its steps one by one (preprocess on their own threads, encode once, score many banks).
 */
public final class OfflineScorer implements AutoCloseable {
    private final InctrlEngine engine;
    private final ImageDecoder decoder = new ImageDecoder();
    private final ImagePreprocessor preprocessor;
    private final HeatmapRenderer heatmaps = HeatmapRenderer.builder().build();

    private OfflineScorer(InctrlEngine engine) {
        this.engine = engine;
        this.preprocessor = new ImagePreprocessor(engine.manifest().preprocess().toSpec());
    }

    /**
     * Loads and verifies the bundle and opens the engine on the device (CUDA falls back to the CPU
     * with a warning when unusable).
     */
    public static OfflineScorer open(Path bundleDirectory, Device device) throws ModelException {
        ModelBundle bundle = ModelBundle.load(bundleDirectory);
        EngineConfig config = EngineConfig.builder().device(device).allowCpuFallback(true).build();
        return new OfflineScorer(InctrlEngine.open(bundle, config));
    }

    public String modelId() {
        return engine.modelId();
    }

    /** The device the engine actually runs on. */
    public Device device() {
        return engine.device();
    }

    /** Decodes an image file's bytes (JPEG or PNG). */
    public DecodedImage decode(ImageEncoding encoding, byte[] data) throws ModelException {
        return decoder.decode(encoding, data, 0, 0);
    }

    /** The shot bank of these shots for the category. */
    public ShotBank bank(List<DecodedImage> shots, String category) throws ModelException {
        return engine.buildShotBank(encode(shots), category);
    }

    /** Scores each image against the bank, in order. */
    public List<ScoreResult> score(ShotBank bank, List<DecodedImage> images) throws ModelException {
        return engine.score(bank, encode(images));
    }

    /** The model input tensor of a decoded image; thread-safe. */
    public float[] preprocess(DecodedImage image) {
        return preprocessor.preprocess(image);
    }

    /** Encodes model input tensors (split into batches of the engine's largest batch). */
    public List<ImageFeatures> encodeTensors(List<float[]> tensors) throws ModelException {
        return engine.encode(tensors);
    }

    /** The shot bank of encoded shots for the category. */
    public ShotBank bankOfFeatures(List<ImageFeatures> shots, String category)
            throws ModelException {
        return engine.buildShotBank(shots, category);
    }

    /** Scores encoded images against the bank, in order. */
    public List<ScoreResult> scoreFeatures(ShotBank bank, List<ImageFeatures> images)
            throws ModelException {
        return engine.score(bank, images);
    }

    /** The largest batch the engine hands to ONNX Runtime at once. */
    public int maxBatchSize() {
        return engine.config().maxBatchSize();
    }

    /** The heatmap PNG of a result over the model's input crop of its image. */
    public byte[] heatmapPng(DecodedImage image, ScoreResult result) {
        int grid = engine.manifest().vision().grid();
        return heatmaps.renderPng(preprocessor.cropToModelInput(image), result.patchMap(), grid);
    }

    private List<ImageFeatures> encode(List<DecodedImage> images) throws ModelException {
        Objects.requireNonNull(images, "images");
        List<float[]> tensors = new ArrayList<>(images.size());
        for (DecodedImage image : images) {
            tensors.add(preprocessor.preprocess(image));
        }
        return engine.encode(tensors);
    }

    @Override
    public void close() {
        engine.close();
    }
}
