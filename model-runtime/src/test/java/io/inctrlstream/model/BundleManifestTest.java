package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inctrlstream.model.BundleManifest.Dim;
import io.inctrlstream.model.BundleManifest.ElementType;
import io.inctrlstream.model.BundleManifest.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundleManifestTest {
    @Test
    void parsesEverySection() throws ModelException {
        BundleManifest manifest = BundleManifest.parse(ManifestJson.bytes(ManifestJson.valid()));

        assertThat(manifest.format()).isEqualTo("inctrl-model-bundle");
        assertThat(manifest.formatVersion()).isEqualTo(1);
        assertThat(manifest.modelId()).isEqualTo("inctrl-test@3");
        assertThat(manifest.model().variant()).isEqualTo("tiny");
        assertThat(manifest.model().weights()).isEqualTo("seed:0");
        assertThat(manifest.model().exporter()).isEqualTo("inctrl_export 0.1.0");
        assertThat(manifest.preprocess().imageSize()).isEqualTo(240);
        assertThat(manifest.preprocess().interpolation()).isEqualTo("bicubic-antialias");
        assertThat(manifest.preprocess().mean()).containsExactly(0.48145466, 0.4578275, 0.40821073);
        assertThat(manifest.preprocess().std()).containsExactly(0.26862954, 0.26130258, 0.27577711);
        assertThat(manifest.vision().width()).isEqualTo(ManifestJson.WIDTH);
        assertThat(manifest.vision().layers()).isEqualTo(6);
        assertThat(manifest.vision().heads()).isEqualTo(2);
        assertThat(manifest.vision().patchSize()).isEqualTo(16);
        assertThat(manifest.vision().grid()).isEqualTo(15);
        assertThat(manifest.vision().patches()).isEqualTo(ManifestJson.PATCHES);
        assertThat(manifest.vision().tapLayers()).containsExactly(1, 3, 5);
        assertThat(manifest.vision().embedDim()).isEqualTo(ManifestJson.EMBED);
        assertThat(manifest.vision().adapterDim()).isEqualTo(4);
        assertThat(manifest.text().contextLength()).isEqualTo(77);
        assertThat(manifest.text().bpeFile()).isEqualTo("bpe_merges.txt");
        assertThat(manifest.text().bpeMerges()).isEqualTo(ManifestJson.MERGES);
        assertThat(manifest.text().sotToken()).isEqualTo(512 + ManifestJson.MERGES);
        assertThat(manifest.text().eotToken()).isEqualTo(513 + ManifestJson.MERGES);
        assertThat(manifest.text().normalStates()).containsExactly("{}", "flawless {}");
        assertThat(manifest.text().anomalousStates()).containsExactly("damaged {}");
        assertThat(manifest.text().templates()).containsExactly("a photo of a {}.");
        assertThat(manifest.text().specialCategories()).containsExactly("airplane");
        assertThat(manifest.text().specialNormal())
                .isEqualTo("a photo of {} for anomaly detection.");
        assertThat(manifest.scoring().logitScale()).isEqualTo(100.0);
        assertThat(manifest.graphs()).containsOnlyKeys("image_encoder", "scorer", "text_encoder");
        assertThat(manifest.graph("scorer").file()).isEqualTo("scorer.onnx");
        assertThat(manifest.graph("scorer").input("shot_patch_bank"))
                .contains(
                        new TensorSpec(
                                "shot_patch_bank",
                                ElementType.FLOAT32,
                                List.of(
                                        Dim.fixed(3),
                                        Dim.fixed(ManifestJson.WIDTH),
                                        Dim.symbolic("shot_patches"))));
        assertThat(manifest.graph("text_encoder").input("token_ids").orElseThrow().type())
                .isEqualTo(ElementType.INT64);
        assertThat(manifest.graph("scorer").outputs()).hasSize(6);
        assertThat(manifest.prototypes().orElseThrow().categories())
                .containsExactly("candle", "pipe_fryum");
        assertThat(manifest.files()).hasSize(5);
        assertThat(manifest.files().get(0).path()).isEqualTo("image_encoder.onnx");
        assertThat(manifest.files().get(0).size()).isEqualTo(1234);
        assertThat(manifest.notes()).containsExactly("test manifest");
    }

    @Test
    void prototypesAndNotesAreOptional() throws ModelException {
        ObjectNode json = ManifestJson.valid();
        json.remove("prototypes");
        json.remove("notes");

        BundleManifest manifest = BundleManifest.parse(ManifestJson.bytes(json));

        assertThat(manifest.prototypes()).isEmpty();
        assertThat(manifest.notes()).isEmpty();
    }

    @Test
    void precisionIsFp32UnlessTheManifestNamesAnother() throws ModelException {
        ObjectNode json = ManifestJson.valid();
        assertThat(BundleManifest.parse(ManifestJson.bytes(json)).model().precision())
                .isEqualTo(GraphPrecision.FP32);
        for (GraphPrecision precision : GraphPrecision.values()) {
            ((ObjectNode) json.get("model")).put("precision", precision.manifestName());
            assertThat(BundleManifest.parse(ManifestJson.bytes(json)).model().precision())
                    .isEqualTo(precision);
        }
    }

    @Test
    void int8WeightBitsAreSevenOrEightAndEightWhereAbsent() throws ModelException {
        ObjectNode json = ManifestJson.valid();
        ObjectNode model = (ObjectNode) json.get("model");
        assertThat(BundleManifest.parse(ManifestJson.bytes(json)).model().int8WeightBits())
                .isZero();
        model.put("precision", "int8");
        assertThat(BundleManifest.parse(ManifestJson.bytes(json)).model().int8WeightBits())
                .isEqualTo(8);
        model.put("weight_bits", 7);
        assertThat(BundleManifest.parse(ManifestJson.bytes(json)).model().int8WeightBits())
                .isEqualTo(7);
    }

    @Test
    void int8ActivationBitsAreSevenOrEightAndEightWhereAbsent() throws ModelException {
        ObjectNode json = ManifestJson.valid();
        ObjectNode model = (ObjectNode) json.get("model");
        assertThat(BundleManifest.parse(ManifestJson.bytes(json)).model().int8ActivationBits())
                .isZero();
        model.put("precision", "int8").put("weight_bits", 8);
        assertThat(BundleManifest.parse(ManifestJson.bytes(json)).model().int8ActivationBits())
                .isEqualTo(8);
        model.put("activation_bits", 7);
        BundleManifest.ModelInfo parsed = BundleManifest.parse(ManifestJson.bytes(json)).model();
        assertThat(parsed.int8ActivationBits()).isEqualTo(7);
        assertThat(parsed.int8WeightBits()).isEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"weight_bits, 4", "activation_bits, 16"})
    void bitWidthsOutsideAnInt8BundleOrOfAnotherWidthAreAMismatch(String field, int otherWidth) {
        assertMismatch(
                json -> ((ObjectNode) json.get("model")).put(field, 7),
                "manifest.json: model."
                        + field
                        + " belongs to int8 bundles, found it (7) in a bundle of precision fp32");
        assertMismatch(
                json ->
                        ((ObjectNode) json.get("model"))
                                .put("precision", "int8")
                                .put(field, otherWidth),
                "manifest.json: model." + field + ": expected 7 or 8, found " + otherWidth);
    }

    @Test
    void unknownPrecisionIsAMismatch() {
        assertMismatch(
                json -> ((ObjectNode) json.get("model")).put("precision", "fp8"),
                "manifest.json: model.precision: expected a precision of [fp32, int8, fp16], found"
                        + " \"fp8\"");
        assertThatThrownBy(() -> GraphPrecision.fromManifestName("FP16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a precision of [fp32, int8, fp16], found \"FP16\"");
    }

    @Test
    void unknownGraphNameIsAnArgumentError() throws ModelException {
        BundleManifest manifest = BundleManifest.parse(ManifestJson.bytes(ManifestJson.valid()));

        assertThatThrownBy(() -> manifest.graph("decoder"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "no graph named 'decoder' in the manifest; graphs: [image_encoder, scorer,"
                                + " text_encoder]");
    }

    @Test
    void notJsonIsCorrupt() {
        assertThatThrownBy(
                        () ->
                                BundleManifest.parse(
                                        "{\"format\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e -> assertThat(e.reason()).isEqualTo(ModelException.Reason.BUNDLE_CORRUPT))
                .hasMessageStartingWith("manifest.json is not valid JSON: ");
        assertThatThrownBy(() -> BundleManifest.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelException.class)
                .hasMessage("manifest.json must hold a JSON object, found ARRAY");
    }

    @Test
    void otherFormatVersionIsUnsupported() {
        ObjectNode json = ManifestJson.valid();
        json.put("format_version", 2);

        assertThatThrownBy(() -> BundleManifest.parse(ManifestJson.bytes(json)))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(
                                                ModelException.Reason.BUNDLE_UNSUPPORTED_VERSION))
                .hasMessage(
                        "manifest.json: format_version 2 is not supported by this runtime"
                                + " (supported: 1)");
    }

    @Test
    void otherFormatIsAMismatch() {
        assertMismatch(
                json -> json.put("format", "onnx-model-zoo"),
                "manifest.json: key 'format' must be \"inctrl-model-bundle\", found"
                        + " \"onnx-model-zoo\"");
    }

    @Test
    void missingOrMistypedKeysAreNamed() {
        assertMismatch(
                json -> ((ObjectNode) json.get("vision")).remove("width"),
                "manifest.json: required key 'vision.width' is missing");
        assertMismatch(
                json -> ((ObjectNode) json.get("vision")).put("width", "wide"),
                "manifest.json: key 'vision.width' must be an integer, found \"wide\"");
        assertMismatch(
                json -> json.remove("graphs"), "manifest.json: required key 'graphs' is missing");
        assertMismatch(
                json -> ((ArrayNode) json.get("vision").get("tap_layers")).set(1, 3.5),
                "manifest.json: key 'vision.tap_layers[1]' must be an integer, found 3.5");
        assertMismatch(
                json -> ((ObjectNode) json.get("files").get(2)).remove("sha256"),
                "manifest.json: required key 'files[2].sha256' is missing");
        assertMismatch(
                json ->
                        ManifestJson.tensorNode(json, "scorer", "inputs", "shot_adapted_mean")
                                .put("type", "float16"),
                "manifest.json: key 'graphs.scorer.inputs[4].type' must be \"float32\" or"
                        + " \"int64\", found \"float16\"");
    }

    @Test
    void inconsistentDimensionsAreNamed() {
        assertMismatch(
                json -> ((ObjectNode) json.get("vision")).put("patches", 224),
                "manifest.json: key 'vision.patches' must be vision.grid squared (225), found 224");
        assertMismatch(
                json -> ((ObjectNode) json.get("vision")).put("heads", 5),
                "manifest.json: key 'vision.heads' must divide vision.width 32, found 5");
        assertMismatch(
                json -> ((ArrayNode) json.get("vision").get("tap_layers")).set(2, 6),
                "manifest.json: key 'vision.tap_layers' must be increasing layer indices in [0,"
                        + " 6), found [1, 3, 6]");
        assertMismatch(
                json -> ((ObjectNode) json.get("text")).put("vocab_size", 49408),
                "manifest.json: key 'text.vocab_size' must be 512 + text.bpe_merges + 2 = 614,"
                        + " found 49408");
        assertMismatch(
                json -> ((ObjectNode) json.get("preprocess")).put("interpolation", "bilinear"),
                "manifest.json: key 'preprocess.interpolation' must be \"bicubic-antialias\" (the"
                        + " only one this runtime implements), found \"bilinear\"");
        assertMismatch(
                json -> ((ObjectNode) json.get("scoring")).put("logit_scale", 0),
                "manifest.json: key 'scoring.logit_scale' must be positive, found 0.0");
    }

    @Test
    void graphsMustBeAsTheRuntimeCallsThem() {
        assertMismatch(
                json ->
                        ManifestJson.tensorNode(json, "scorer", "outputs", "final_score")
                                .put("name", "score"),
                "manifest.json: key 'graphs.scorer.outputs' must name exactly [final_score,"
                        + " holistic_score, patch_score, image_score, text_score, patch_map], found"
                        + " [score, holistic_score, patch_score, image_score, text_score,"
                        + " patch_map]");
        assertMismatch(
                json ->
                        ((ArrayNode)
                                        ManifestJson.tensorNode(
                                                        json, "scorer", "inputs", "shot_patch_bank")
                                                .get("shape"))
                                .set(2, 900),
                "manifest.json: key 'graphs.scorer.inputs.shot_patch_bank' must be float32 [3, 32,"
                        + " \"shot_patches\"] (any name for a symbolic dimension), found float32"
                        + " [3, 32, 900]");
        assertMismatch(
                json ->
                        ManifestJson.tensorNode(json, "text_encoder", "inputs", "token_ids")
                                .put("type", "float32"),
                "manifest.json: key 'graphs.text_encoder.inputs.token_ids' must be int64"
                        + " [\"batch\", 77] (any name for a symbolic dimension), found float32"
                        + " [\"batch\", 77]");
        assertMismatch(
                json -> ((ObjectNode) json.get("graphs")).remove("text_encoder"),
                "manifest.json: required key 'graphs.text_encoder' is missing (graphs found:"
                        + " [image_encoder, scorer])");
    }

    @Test
    void filesMustBeSafeAndCoverEveryReference() {
        assertMismatch(
                json ->
                        ((ObjectNode) json.get("files").get(0))
                                .put("path", "../image_encoder.onnx"),
                "manifest.json: key 'files[0].path' must be a relative path inside the bundle,"
                        + " found \"../image_encoder.onnx\"");
        assertMismatch(
                json -> ((ObjectNode) json.get("files").get(1)).put("sha256", "ABC"),
                "manifest.json: key 'files[1].sha256' must be 64 lower-case hex digits, found"
                        + " \"ABC\"");
        assertMismatch(
                json -> ((ObjectNode) json.get("text")).put("bpe_file", "vocab.txt.gz"),
                "manifest.json: key 'text.bpe_file' names \"vocab.txt.gz\", which 'files' does"
                        + " not list");
        assertMismatch(
                json -> ((ObjectNode) json.get("graphs").get("scorer")).put("file", "s.onnx"),
                "manifest.json: key 'graphs.scorer.file' names \"s.onnx\", which 'files' does not"
                        + " list");
    }

    private static void assertMismatch(Consumer<ObjectNode> breakIt, String message) {
        ObjectNode json = ManifestJson.valid();
        breakIt.accept(json);
        assertThatThrownBy(() -> BundleManifest.parse(ManifestJson.bytes(json)))
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(ModelException.Reason.BUNDLE_MISMATCH))
                .hasMessage(message);
    }
}
