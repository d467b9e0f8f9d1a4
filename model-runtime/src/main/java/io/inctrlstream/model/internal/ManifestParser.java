package io.inctrlstream.model.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.BundleManifest.Dim;
import io.inctrlstream.model.BundleManifest.ElementType;
import io.inctrlstream.model.BundleManifest.FileEntry;
import io.inctrlstream.model.BundleManifest.GraphSpec;
import io.inctrlstream.model.BundleManifest.TensorSpec;
import io.inctrlstream.model.GraphPrecision;
import io.inctrlstream.model.ModelException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code manifest.json} into a {@link BundleManifest}, then has it checked. */
public final class ManifestParser {
    /** The manifest's file name inside a bundle. */
    public static final String MANIFEST_FILE = "manifest.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFields FIELDS = new JsonFields(MANIFEST_FILE);

    private ManifestParser() {}

    /** Parses and validates; see {@link BundleManifest#parse(byte[])}. */
    public static BundleManifest parse(byte[] json) throws ModelException {
        JsonNode root = readTree(json);
        String format = FIELDS.string(root, "format", "");
        if (!BundleManifest.FORMAT.equals(format)) {
            throw FIELDS.mismatch(
                    "format",
                    "must be \"" + BundleManifest.FORMAT + "\", found \"" + format + "\"");
        }
        int formatVersion = FIELDS.integer(root, "format_version", "");
        if (formatVersion != BundleManifest.SUPPORTED_FORMAT_VERSION) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_UNSUPPORTED_VERSION,
                    MANIFEST_FILE
                            + ": format_version "
                            + formatVersion
                            + " is not supported by this runtime (supported: "
                            + BundleManifest.SUPPORTED_FORMAT_VERSION
                            + ")");
        }
        BundleManifest manifest =
                new BundleManifest(
                        format,
                        formatVersion,
                        model(FIELDS.object(root, "model", "")),
                        preprocess(FIELDS.object(root, "preprocess", "")),
                        vision(FIELDS.object(root, "vision", "")),
                        text(FIELDS.object(root, "text", "")),
                        new BundleManifest.Scoring(
                                FIELDS.number(
                                        FIELDS.object(root, "scoring", ""),
                                        "logit_scale",
                                        "scoring")),
                        graphs(FIELDS.object(root, "graphs", "")),
                        prototypes(root),
                        files(root),
                        notes(root));
        ManifestValidator.validate(manifest);
        return manifest;
    }

    private static JsonNode readTree(byte[] json) throws ModelException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT,
                    MANIFEST_FILE + " is not valid JSON: " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT,
                    MANIFEST_FILE + " could not be read: " + e.getMessage(),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT,
                    MANIFEST_FILE
                            + " must hold a JSON object, found "
                            + (root == null ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    private static BundleManifest.ModelInfo model(JsonNode node) throws ModelException {
        GraphPrecision precision = precision(node);
        return new BundleManifest.ModelInfo(
                FIELDS.string(node, "name", "model"),
                FIELDS.string(node, "version", "model"),
                FIELDS.string(node, "variant", "model"),
                FIELDS.string(node, "weights", "model"),
                FIELDS.string(node, "exporter", "model"),
                precision,
                int8Bits(node, "weight_bits", precision),
                int8Bits(node, "activation_bits", precision));
    }

    /**
     * {@code model.weight_bits} or {@code model.activation_bits}: 7 or 8 for an int8 bundle (8
     * where absent: bundles quantized before the field), else 0.
     */
    private static int int8Bits(JsonNode model, String field, GraphPrecision precision)
            throws ModelException {
        if (!model.has(field)) {
            return precision == GraphPrecision.INT8 ? 8 : 0;
        }
        int bits = FIELDS.integer(model, field, "model");
        if (precision != GraphPrecision.INT8) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_MISMATCH,
                    MANIFEST_FILE
                            + ": model."
                            + field
                            + " belongs to int8 bundles, found it ("
                            + bits
                            + ") in a bundle of precision "
                            + precision.manifestName());
        }
        if (bits != 7 && bits != 8) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_MISMATCH,
                    MANIFEST_FILE + ": model." + field + ": expected 7 or 8, found " + bits);
        }
        return bits;
    }

    private static GraphPrecision precision(JsonNode model) throws ModelException {
        if (!model.has("precision")) {
            return GraphPrecision.FP32;
        }
        String name = FIELDS.string(model, "precision", "model");
        try {
            return GraphPrecision.fromManifestName(name);
        } catch (IllegalArgumentException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_MISMATCH,
                    MANIFEST_FILE + ": model.precision: " + e.getMessage());
        }
    }

    private static BundleManifest.Preprocess preprocess(JsonNode node) throws ModelException {
        return new BundleManifest.Preprocess(
                FIELDS.integer(node, "image_size", "preprocess"),
                FIELDS.string(node, "interpolation", "preprocess"),
                FIELDS.numbers(node, "mean", "preprocess"),
                FIELDS.numbers(node, "std", "preprocess"));
    }

    private static BundleManifest.Vision vision(JsonNode node) throws ModelException {
        return new BundleManifest.Vision(
                FIELDS.integer(node, "width", "vision"),
                FIELDS.integer(node, "layers", "vision"),
                FIELDS.integer(node, "heads", "vision"),
                FIELDS.integer(node, "patch_size", "vision"),
                FIELDS.integer(node, "grid", "vision"),
                FIELDS.integer(node, "patches", "vision"),
                FIELDS.integers(node, "tap_layers", "vision"),
                FIELDS.integer(node, "embed_dim", "vision"),
                FIELDS.integer(node, "adapter_dim", "vision"));
    }

    private static BundleManifest.Text text(JsonNode node) throws ModelException {
        return new BundleManifest.Text(
                FIELDS.integer(node, "width", "text"),
                FIELDS.integer(node, "layers", "text"),
                FIELDS.integer(node, "heads", "text"),
                FIELDS.integer(node, "context_length", "text"),
                FIELDS.integer(node, "vocab_size", "text"),
                FIELDS.string(node, "bpe_file", "text"),
                FIELDS.integer(node, "bpe_merges", "text"),
                FIELDS.integer(node, "sot_token", "text"),
                FIELDS.integer(node, "eot_token", "text"),
                FIELDS.strings(node, "normal_states", "text"),
                FIELDS.strings(node, "anomalous_states", "text"),
                FIELDS.strings(node, "templates", "text"),
                FIELDS.strings(node, "special_categories", "text"),
                FIELDS.string(node, "special_normal", "text"),
                FIELDS.string(node, "special_anomalous", "text"));
    }

    private static Map<String, GraphSpec> graphs(JsonNode node) throws ModelException {
        Map<String, GraphSpec> graphs = new LinkedHashMap<>();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String path = "graphs." + name;
            JsonNode graph = FIELDS.object(node, name, "graphs");
            graphs.put(
                    name,
                    new GraphSpec(
                            name,
                            FIELDS.string(graph, "file", path),
                            tensors(graph, "inputs", path),
                            tensors(graph, "outputs", path)));
        }
        return graphs;
    }

    private static List<TensorSpec> tensors(JsonNode graph, String key, String graphPath)
            throws ModelException {
        JsonNode array = FIELDS.array(graph, key, graphPath);
        List<TensorSpec> tensors = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String path = JsonFields.path(graphPath, key) + "[" + i + "]";
            JsonNode tensor = array.get(i);
            if (!tensor.isObject()) {
                throw FIELDS.mismatch(path, "must be an object, found " + tensor);
            }
            String typeName = FIELDS.string(tensor, "type", path);
            ElementType type =
                    ElementType.fromJsonName(typeName)
                            .orElseThrow(
                                    () ->
                                            FIELDS.mismatch(
                                                    path + ".type",
                                                    "must be \"float32\" or \"int64\", found \""
                                                            + typeName
                                                            + "\""));
            tensors.add(
                    new TensorSpec(FIELDS.string(tensor, "name", path), type, shape(tensor, path)));
        }
        return tensors;
    }

    private static List<Dim> shape(JsonNode tensor, String tensorPath) throws ModelException {
        JsonNode array = FIELDS.array(tensor, "shape", tensorPath);
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode dim = array.get(i);
            if (dim.isIntegralNumber() && dim.canConvertToLong() && dim.longValue() >= 0) {
                dims.add(Dim.fixed(dim.longValue()));
            } else if (dim.isTextual() && !dim.textValue().isBlank()) {
                dims.add(Dim.symbolic(dim.textValue()));
            } else {
                throw FIELDS.mismatch(
                        tensorPath + ".shape[" + i + "]",
                        "must be a non-negative integer or a symbolic name, found " + dim);
            }
        }
        return dims;
    }

    private static Optional<BundleManifest.Prototypes> prototypes(JsonNode root)
            throws ModelException {
        JsonNode node = root.get("prototypes");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        JsonNode section = FIELDS.object(root, "prototypes", "");
        return Optional.of(
                new BundleManifest.Prototypes(
                        FIELDS.string(section, "file", "prototypes"),
                        FIELDS.strings(section, "categories", "prototypes")));
    }

    private static List<FileEntry> files(JsonNode root) throws ModelException {
        JsonNode array = FIELDS.array(root, "files", "");
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String path = "files[" + i + "]";
            JsonNode entry = array.get(i);
            if (!entry.isObject()) {
                throw FIELDS.mismatch(path, "must be an object, found " + entry);
            }
            files.add(
                    new FileEntry(
                            FIELDS.string(entry, "path", path),
                            FIELDS.longInteger(entry, "size", path),
                            FIELDS.string(entry, "sha256", path)));
        }
        return files;
    }

    private static List<String> notes(JsonNode root) throws ModelException {
        JsonNode node = root.get("notes");
        if (node == null || node.isNull()) {
            return List.of();
        }
        return FIELDS.strings(root, "notes", "");
    }
}
