package io.inctrlstream.model.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.TextPrototypes;
import io.inctrlstream.model.text.ClipTokenizer;
import io.inctrlstream.model.text.PromptEnsemble;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Computes a category's text prototypes the way the reference does: each prompt of the ensemble
 * tokenized and encoded, each feature L2-normalized, the normal (resp. anomalous) features averaged
 * and normalized again. The tokenizer is loaded on first use. Thread-safe.
 */
public final class TextPrototypeComputer {
    private final BundleManifest.Text text;
    private final int embedDim;
    private final Path bpeFile;
    private final OrtGraph textEncoder;
    private final int maxBatchSize;
    private final PromptEnsemble ensemble;
    private ClipTokenizer tokenizer;

    public TextPrototypeComputer(
            BundleManifest manifest, Path bpeFile, OrtGraph textEncoder, int maxBatchSize) {
        this.text = manifest.text();
        this.embedDim = manifest.vision().embedDim();
        this.bpeFile = bpeFile;
        this.textEncoder = textEncoder;
        this.maxBatchSize = maxBatchSize;
        this.ensemble =
                PromptEnsemble.builder()
                        .normalStates(text.normalStates())
                        .anomalousStates(text.anomalousStates())
                        .templates(text.templates())
                        .specialCategories(text.specialCategories())
                        .specialNormal(text.specialNormal())
                        .specialAnomalous(text.specialAnomalous())
                        .build();
    }

    /**
     * The prototypes of {@code category}.
     *
     * @throws ModelException TEXT_INVALID if the prompts cannot be tokenized, BUNDLE_CORRUPT if the
     *     BPE file cannot be read, INFERENCE_FAILED if the text encoder fails
     */
    public TextPrototypes compute(String category) throws ModelException {
        ClipTokenizer tokens = tokenizer();
        float[] normal = prototype(tokens, ensemble.normalPrompts(category), category);
        float[] anomalous = prototype(tokens, ensemble.anomalousPrompts(category), category);
        return TextPrototypes.of(category, normal, anomalous);
    }

    private synchronized ClipTokenizer tokenizer() throws ModelException {
        if (tokenizer == null) {
            ClipTokenizer loaded = ClipTokenizer.fromBpeFile(bpeFile, text.bpeMerges());
            if (loaded.sotToken() != text.sotToken() || loaded.eotToken() != text.eotToken()) {
                throw new ModelException(
                        ModelException.Reason.BUNDLE_MISMATCH,
                        "the BPE file "
                                + bpeFile.getFileName()
                                + " with "
                                + text.bpeMerges()
                                + " merges gives start/end tokens "
                                + loaded.sotToken()
                                + "/"
                                + loaded.eotToken()
                                + ", the manifest says "
                                + text.sotToken()
                                + "/"
                                + text.eotToken());
            }
            tokenizer = loaded;
        }
        return tokenizer;
    }

    private float[] prototype(ClipTokenizer tokens, List<String> prompts, String category)
            throws ModelException {
        long[][] ids;
        try {
            ids = tokens.tokenize(prompts, text.contextLength());
        } catch (IllegalArgumentException e) {
            throw new ModelException(
                    ModelException.Reason.TEXT_INVALID,
                    "prompts for category '"
                            + category
                            + "' cannot be tokenized: "
                            + e.getMessage(),
                    e);
        }
        double[] sum = new double[embedDim];
        for (int start = 0; start < ids.length; start += maxBatchSize) {
            int count = Math.min(maxBatchSize, ids.length - start);
            float[] features = encode(ids, start, count);
            for (int i = 0; i < count; i++) {
                float norm = Vectors.norm(features, i * embedDim, embedDim);
                for (int d = 0; d < embedDim; d++) {
                    sum[d] += features[i * embedDim + d] / norm;
                }
            }
        }
        float[] mean = new float[embedDim];
        for (int d = 0; d < embedDim; d++) {
            mean[d] = (float) (sum[d] / ids.length);
        }
        return Vectors.normalized(mean);
    }

    private float[] encode(long[][] ids, int start, int count) throws ModelException {
        int context = text.contextLength();
        LongBuffer buffer = LongBuffer.allocate(count * context);
        for (int i = 0; i < count; i++) {
            buffer.put(ids[start + i]);
        }
        buffer.flip();
        try (OnnxTensor input =
                        OnnxTensor.createTensor(
                                OrtEnvironment.getEnvironment(),
                                buffer,
                                new long[] {count, context});
                OrtSession.Result result =
                        textEncoder.run(Map.of(GraphContract.TOKEN_IDS, input))) {
            float[] features = textEncoder.floatOutput(result, GraphContract.TEXT_FEATURES);
            if (features.length != count * embedDim) {
                throw new ModelException(
                        ModelException.Reason.INFERENCE_FAILED,
                        "graph "
                                + textEncoder.name()
                                + " returned "
                                + features.length
                                + " values for "
                                + count
                                + " prompts, expected "
                                + count * embedDim);
            }
            return features;
        } catch (OrtException e) {
            throw new ModelException(
                    ModelException.Reason.INFERENCE_FAILED,
                    "graph " + textEncoder.name() + ": cannot create the token tensor: " + e,
                    e);
        }
    }
}
