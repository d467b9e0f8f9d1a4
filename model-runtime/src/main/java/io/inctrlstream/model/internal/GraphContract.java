package io.inctrlstream.model.internal;

import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.BundleManifest.Dim;
import io.inctrlstream.model.BundleManifest.ElementType;
import io.inctrlstream.model.BundleManifest.GraphSpec;
import io.inctrlstream.model.BundleManifest.TensorSpec;
import java.util.List;

/**
 * The graphs' inputs and outputs as this runtime calls them (docs/model-bundle.md, "Graphs"), with
 * fixed dimensions taken from the manifest's {@code vision}, {@code text} and {@code preprocess}
 * sections. A manifest's graph specs must agree with these, and each ONNX session with its manifest
 * spec.
 */
public final class GraphContract {
    public static final String IMAGE_ENCODER = "image_encoder";
    public static final String SCORER = "scorer";
    public static final String TEXT_ENCODER = "text_encoder";

    public static final String PIXELS = "pixels";
    public static final String PATCH_TOKENS = "patch_tokens";
    public static final String EMBEDDING = "embedding";
    public static final String ADAPTED = "adapted";

    public static final String QUERY_PATCH_TOKENS = "query_patch_tokens";
    public static final String QUERY_EMBEDDING = "query_embedding";
    public static final String QUERY_ADAPTED = "query_adapted";
    public static final String SHOT_PATCH_BANK = "shot_patch_bank";
    public static final String SHOT_ADAPTED_MEAN = "shot_adapted_mean";
    public static final String TEXT_PROTOTYPES = "text_prototypes";
    public static final String FINAL_SCORE = "final_score";
    public static final String HOLISTIC_SCORE = "holistic_score";
    public static final String PATCH_SCORE = "patch_score";
    public static final String IMAGE_SCORE = "image_score";
    public static final String TEXT_SCORE = "text_score";
    public static final String PATCH_MAP = "patch_map";

    public static final String TOKEN_IDS = "token_ids";
    public static final String TEXT_FEATURES = "text_features";

    /** The graphs every bundle must have. */
    public static final List<String> GRAPH_NAMES = List.of(IMAGE_ENCODER, SCORER, TEXT_ENCODER);

    private static final Dim BATCH = Dim.symbolic("batch");
    private static final Dim SHOT_PATCHES = Dim.symbolic("shot_patches");

    private GraphContract() {}

    /** The expected spec of one of {@link #GRAPH_NAMES}, dimensions from the manifest. */
    public static GraphSpec expected(String graph, BundleManifest manifest) {
        long taps = manifest.vision().tapLayers().size();
        long width = manifest.vision().width();
        long patches = manifest.vision().patches();
        long embed = manifest.vision().embedDim();
        long size = manifest.preprocess().imageSize();
        switch (graph) {
            case IMAGE_ENCODER:
                return new GraphSpec(
                        graph,
                        "",
                        List.of(f32(PIXELS, BATCH, fixed(3), fixed(size), fixed(size))),
                        List.of(
                                f32(PATCH_TOKENS, BATCH, fixed(taps), fixed(patches), fixed(width)),
                                f32(EMBEDDING, BATCH, fixed(embed)),
                                f32(ADAPTED, BATCH, fixed(embed))));
            case SCORER:
                return new GraphSpec(
                        graph,
                        "",
                        List.of(
                                f32(
                                        QUERY_PATCH_TOKENS,
                                        BATCH,
                                        fixed(taps),
                                        fixed(patches),
                                        fixed(width)),
                                f32(QUERY_EMBEDDING, BATCH, fixed(embed)),
                                f32(QUERY_ADAPTED, BATCH, fixed(embed)),
                                f32(SHOT_PATCH_BANK, fixed(taps), fixed(width), SHOT_PATCHES),
                                f32(SHOT_ADAPTED_MEAN, fixed(embed)),
                                f32(TEXT_PROTOTYPES, fixed(2), fixed(embed))),
                        List.of(
                                f32(FINAL_SCORE, BATCH),
                                f32(HOLISTIC_SCORE, BATCH),
                                f32(PATCH_SCORE, BATCH),
                                f32(IMAGE_SCORE, BATCH),
                                f32(TEXT_SCORE, BATCH),
                                f32(PATCH_MAP, BATCH, fixed(patches))));
            case TEXT_ENCODER:
                return new GraphSpec(
                        graph,
                        "",
                        List.of(
                                new TensorSpec(
                                        TOKEN_IDS,
                                        ElementType.INT64,
                                        List.of(BATCH, fixed(manifest.text().contextLength())))),
                        List.of(f32(TEXT_FEATURES, BATCH, fixed(embed))));
            default:
                throw new IllegalArgumentException(
                        "unknown graph '" + graph + "'; graphs: " + GRAPH_NAMES);
        }
    }

    /**
     * Whether {@code actual} fits {@code expected}: the same rank, fixed dimensions equal, and a
     * symbolic dimension wherever the contract has one (its name is free).
     */
    public static boolean shapeMatches(List<Dim> expected, List<Dim> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            Dim e = expected.get(i);
            Dim a = actual.get(i);
            if (e.isSymbolic() != a.isSymbolic() || (!e.isSymbolic() && e.size() != a.size())) {
                return false;
            }
        }
        return true;
    }

    private static Dim fixed(long size) {
        return Dim.fixed(size);
    }

    private static TensorSpec f32(String name, Dim... shape) {
        return new TensorSpec(name, ElementType.FLOAT32, List.of(shape));
    }
}
