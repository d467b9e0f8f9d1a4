package io.inctrlstream.model.internal;

import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.BundleManifest.FileEntry;
import io.inctrlstream.model.BundleManifest.GraphSpec;
import io.inctrlstream.model.BundleManifest.TensorSpec;
import io.inctrlstream.model.ModelException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks that a parsed manifest is sane: positive, mutually consistent dimensions, the
 * preprocessing this runtime implements, graphs as the runtime calls them, and a file list that
 * names every file the other sections refer to. Failures are BUNDLE_MISMATCH naming the key.
 */
final class ManifestValidator {
    /** The only interpolation the Java preprocessor implements. */
    static final String INTERPOLATION = "bicubic-antialias";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final JsonFields FIELDS = new JsonFields(ManifestParser.MANIFEST_FILE);

    private ManifestValidator() {}

    static void validate(BundleManifest manifest) throws ModelException {
        checkModel(manifest.model());
        checkPreprocess(manifest.preprocess());
        checkVision(manifest.vision(), manifest.preprocess().imageSize());
        checkText(manifest.text());
        double logitScale = manifest.scoring().logitScale();
        if (!(logitScale > 0) || Double.isInfinite(logitScale)) {
            throw FIELDS.mismatch("scoring.logit_scale", "must be positive, found " + logitScale);
        }
        Set<String> listed = checkFiles(manifest.files());
        requireListed(listed, "text.bpe_file", manifest.text().bpeFile());
        checkGraphs(manifest, listed);
        if (manifest.prototypes().isPresent()) {
            BundleManifest.Prototypes prototypes = manifest.prototypes().get();
            requireListed(listed, "prototypes.file", prototypes.file());
            if (new HashSet<>(prototypes.categories()).size() != prototypes.categories().size()) {
                throw FIELDS.mismatch(
                        "prototypes.categories",
                        "must not repeat a category, found " + prototypes.categories());
            }
        }
    }

    private static void checkModel(BundleManifest.ModelInfo model) throws ModelException {
        nonBlank("model.name", model.name());
        nonBlank("model.version", model.version());
        if (model.name().contains("@")) {
            throw FIELDS.mismatch("model.name", "must not contain '@', found " + model.name());
        }
    }

    private static void checkPreprocess(BundleManifest.Preprocess preprocess)
            throws ModelException {
        positive("preprocess.image_size", preprocess.imageSize());
        if (!INTERPOLATION.equals(preprocess.interpolation())) {
            throw FIELDS.mismatch(
                    "preprocess.interpolation",
                    "must be \""
                            + INTERPOLATION
                            + "\" (the only one this runtime implements), found \""
                            + preprocess.interpolation()
                            + "\"");
        }
        if (preprocess.mean().size() != 3) {
            throw FIELDS.mismatch(
                    "preprocess.mean", "must hold 3 values, found " + preprocess.mean());
        }
        if (preprocess.std().size() != 3 || preprocess.std().stream().anyMatch(s -> !(s > 0))) {
            throw FIELDS.mismatch(
                    "preprocess.std", "must hold 3 positive values, found " + preprocess.std());
        }
    }

    private static void checkVision(BundleManifest.Vision vision, int imageSize)
            throws ModelException {
        positive("vision.width", vision.width());
        positive("vision.layers", vision.layers());
        positive("vision.heads", vision.heads());
        positive("vision.patch_size", vision.patchSize());
        positive("vision.grid", vision.grid());
        positive("vision.patches", vision.patches());
        positive("vision.embed_dim", vision.embedDim());
        positive("vision.adapter_dim", vision.adapterDim());
        if (vision.width() % vision.heads() != 0) {
            throw FIELDS.mismatch(
                    "vision.heads",
                    "must divide vision.width " + vision.width() + ", found " + vision.heads());
        }
        if ((long) vision.grid() * vision.grid() != vision.patches()) {
            throw FIELDS.mismatch(
                    "vision.patches",
                    "must be vision.grid squared ("
                            + ((long) vision.grid() * vision.grid())
                            + "), found "
                            + vision.patches());
        }
        if ((long) vision.grid() * vision.patchSize() != imageSize) {
            throw FIELDS.mismatch(
                    "vision.grid",
                    "times vision.patch_size must be preprocess.image_size "
                            + imageSize
                            + ", found "
                            + vision.grid()
                            + " x "
                            + vision.patchSize());
        }
        List<Integer> taps = vision.tapLayers();
        if (taps.isEmpty()) {
            throw FIELDS.mismatch("vision.tap_layers", "must name at least one layer, found []");
        }
        for (int i = 0; i < taps.size(); i++) {
            int tap = taps.get(i);
            boolean increasing = i == 0 || tap > taps.get(i - 1);
            if (tap < 0 || tap >= vision.layers() || !increasing) {
                throw FIELDS.mismatch(
                        "vision.tap_layers",
                        "must be increasing layer indices in [0, "
                                + vision.layers()
                                + "), found "
                                + taps);
            }
        }
    }

    private static void checkText(BundleManifest.Text text) throws ModelException {
        positive("text.width", text.width());
        positive("text.layers", text.layers());
        positive("text.heads", text.heads());
        positive("text.context_length", text.contextLength());
        positive("text.vocab_size", text.vocabSize());
        if (text.contextLength() < 2) {
            throw FIELDS.mismatch(
                    "text.context_length",
                    "must leave room for the start and end tokens, found " + text.contextLength());
        }
        if (text.bpeMerges() < 0) {
            throw FIELDS.mismatch(
                    "text.bpe_merges", "must not be negative, found " + text.bpeMerges());
        }
        tokenInVocabulary("text.sot_token", text.sotToken(), text.vocabSize());
        tokenInVocabulary("text.eot_token", text.eotToken(), text.vocabSize());
        // CLIP's vocabulary: 512 byte symbols, one per merge, then start and end of text.
        long expectedVocabulary = 512L + text.bpeMerges() + 2;
        if (text.vocabSize() != expectedVocabulary) {
            throw FIELDS.mismatch(
                    "text.vocab_size",
                    "must be 512 + text.bpe_merges + 2 = "
                            + expectedVocabulary
                            + ", found "
                            + text.vocabSize());
        }
        placeholders("text.normal_states", text.normalStates());
        placeholders("text.anomalous_states", text.anomalousStates());
        placeholders("text.templates", text.templates());
        placeholder("text.special_normal", text.specialNormal());
        placeholder("text.special_anomalous", text.specialAnomalous());
    }

    private static Set<String> checkFiles(List<FileEntry> files) throws ModelException {
        if (files.isEmpty()) {
            throw FIELDS.mismatch("files", "must list the bundle's files, found []");
        }
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            FileEntry entry = files.get(i);
            String key = "files[" + i + "]";
            if (!isPlainRelativePath(entry.path())) {
                throw FIELDS.mismatch(
                        key + ".path",
                        "must be a relative path inside the bundle, found \""
                                + entry.path()
                                + "\"");
            }
            if (entry.path().equals(ManifestParser.MANIFEST_FILE)) {
                throw FIELDS.mismatch(key + ".path", "must not list the manifest itself");
            }
            if (!paths.add(entry.path())) {
                throw FIELDS.mismatch(key + ".path", "repeats \"" + entry.path() + "\"");
            }
            if (entry.size() < 0) {
                throw FIELDS.mismatch(key + ".size", "must not be negative, found " + entry.size());
            }
            if (!SHA256_HEX.matcher(entry.sha256()).matches()) {
                throw FIELDS.mismatch(
                        key + ".sha256",
                        "must be 64 lower-case hex digits, found \"" + entry.sha256() + "\"");
            }
        }
        return paths;
    }

    private static void checkGraphs(BundleManifest manifest, Set<String> listed)
            throws ModelException {
        Map<String, GraphSpec> graphs = manifest.graphs();
        for (String name : GraphContract.GRAPH_NAMES) {
            GraphSpec actual = graphs.get(name);
            if (actual == null) {
                throw new ModelException(
                        ModelException.Reason.BUNDLE_MISMATCH,
                        ManifestParser.MANIFEST_FILE
                                + ": required key 'graphs."
                                + name
                                + "' is missing (graphs found: "
                                + graphs.keySet()
                                + ")");
            }
            requireListed(listed, "graphs." + name + ".file", actual.file());
            GraphSpec expected = GraphContract.expected(name, manifest);
            checkTensors(name, "inputs", expected.inputs(), actual.inputs());
            checkTensors(name, "outputs", expected.outputs(), actual.outputs());
        }
    }

    private static void checkTensors(
            String graph, String kind, List<TensorSpec> expected, List<TensorSpec> actual)
            throws ModelException {
        String key = "graphs." + graph + "." + kind;
        Map<String, TensorSpec> byName =
                actual.stream()
                        .collect(
                                Collectors.toMap(
                                        TensorSpec::name, Function.identity(), (a, b) -> a));
        if (byName.size() != actual.size()) {
            throw FIELDS.mismatch(key, "repeats a tensor name: " + actual);
        }
        Set<String> expectedNames =
                expected.stream().map(TensorSpec::name).collect(Collectors.toSet());
        if (!byName.keySet().equals(expectedNames)) {
            throw FIELDS.mismatch(
                    key,
                    "must name exactly "
                            + expected.stream().map(TensorSpec::name).toList()
                            + ", found "
                            + actual.stream().map(TensorSpec::name).toList());
        }
        for (TensorSpec want : expected) {
            TensorSpec found = byName.get(want.name());
            if (found.type() != want.type()
                    || !GraphContract.shapeMatches(want.shape(), found.shape())) {
                throw FIELDS.mismatch(
                        key + "." + want.name(),
                        "must be "
                                + want.type().jsonName()
                                + " "
                                + want.shape()
                                + " (any name for a symbolic dimension), found "
                                + found.type().jsonName()
                                + " "
                                + found.shape());
            }
        }
    }

    private static boolean isPlainRelativePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static void requireListed(Set<String> listed, String key, String path)
            throws ModelException {
        if (!listed.contains(path)) {
            throw FIELDS.mismatch(key, "names \"" + path + "\", which 'files' does not list");
        }
    }

    private static void positive(String key, int value) throws ModelException {
        if (value <= 0) {
            throw FIELDS.mismatch(key, "must be positive, found " + value);
        }
    }

    private static void nonBlank(String key, String value) throws ModelException {
        if (value.isBlank()) {
            throw FIELDS.mismatch(key, "must not be blank");
        }
    }

    private static void tokenInVocabulary(String key, int token, int vocabulary)
            throws ModelException {
        if (token < 0 || token >= vocabulary) {
            throw FIELDS.mismatch(
                    key, "must be a token id in [0, " + vocabulary + "), found " + token);
        }
    }

    private static void placeholders(String key, List<String> values) throws ModelException {
        if (values.isEmpty()) {
            throw FIELDS.mismatch(key, "must not be empty");
        }
        for (String value : values) {
            placeholder(key, value);
        }
    }

    private static void placeholder(String key, String value) throws ModelException {
        if (!value.contains("{}")) {
            throw FIELDS.mismatch(key, "must hold the placeholder {}, found \"" + value + "\"");
        }
    }
}
