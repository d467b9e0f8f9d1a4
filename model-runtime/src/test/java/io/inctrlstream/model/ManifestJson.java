package io.inctrlstream.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A valid manifest of a small model as a mutable JSON tree, for tests to break one key at a time.
 */
final class ManifestJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int WIDTH = 32;
    static final int EMBED = 16;
    static final int PATCHES = 225;
    static final int MERGES = 100;

    private ManifestJson() {}

    static ObjectNode valid() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "inctrl-model-bundle");
        root.put("format_version", 1);
        ObjectNode model = root.putObject("model");
        model.put("name", "inctrl-test");
        model.put("version", "3");
        model.put("variant", "tiny");
        model.put("weights", "seed:0");
        model.put("exporter", "inctrl_export 0.1.0");
        ObjectNode preprocess = root.putObject("preprocess");
        preprocess.put("image_size", 240);
        preprocess.put("interpolation", "bicubic-antialias");
        preprocess.putArray("mean").add(0.48145466).add(0.4578275).add(0.40821073);
        preprocess.putArray("std").add(0.26862954).add(0.26130258).add(0.27577711);
        ObjectNode vision = root.putObject("vision");
        vision.put("width", WIDTH);
        vision.put("layers", 6);
        vision.put("heads", 2);
        vision.put("patch_size", 16);
        vision.put("grid", 15);
        vision.put("patches", PATCHES);
        vision.putArray("tap_layers").add(1).add(3).add(5);
        vision.put("embed_dim", EMBED);
        vision.put("adapter_dim", 4);
        ObjectNode text = root.putObject("text");
        text.put("width", 32);
        text.put("layers", 2);
        text.put("heads", 2);
        text.put("context_length", 77);
        text.put("vocab_size", 512 + MERGES + 2);
        text.put("bpe_file", "bpe_merges.txt");
        text.put("bpe_merges", MERGES);
        text.put("sot_token", 512 + MERGES);
        text.put("eot_token", 512 + MERGES + 1);
        strings(text.putArray("normal_states"), "{}", "flawless {}");
        strings(text.putArray("anomalous_states"), "damaged {}");
        strings(text.putArray("templates"), "a photo of a {}.");
        strings(text.putArray("special_categories"), "airplane");
        text.put("special_normal", "a photo of {} for anomaly detection.");
        text.put("special_anomalous", "a photo without {} for anomaly detection.");
        root.putObject("scoring").put("logit_scale", 100.0);
        ObjectNode graphs = root.putObject("graphs");
        graph(
                graphs,
                "image_encoder",
                List.of(tensor("pixels", "float32", "batch", 3, 240, 240)),
                List.of(
                        tensor("patch_tokens", "float32", "batch", 3, PATCHES, WIDTH),
                        tensor("embedding", "float32", "batch", EMBED),
                        tensor("adapted", "float32", "batch", EMBED)));
        graph(
                graphs,
                "scorer",
                List.of(
                        tensor("query_patch_tokens", "float32", "batch", 3, PATCHES, WIDTH),
                        tensor("query_embedding", "float32", "batch", EMBED),
                        tensor("query_adapted", "float32", "batch", EMBED),
                        tensor("shot_patch_bank", "float32", 3, WIDTH, "shot_patches"),
                        tensor("shot_adapted_mean", "float32", EMBED),
                        tensor("text_prototypes", "float32", 2, EMBED)),
                List.of(
                        tensor("final_score", "float32", "batch"),
                        tensor("holistic_score", "float32", "batch"),
                        tensor("patch_score", "float32", "batch"),
                        tensor("image_score", "float32", "batch"),
                        tensor("text_score", "float32", "batch"),
                        tensor("patch_map", "float32", "batch", PATCHES)));
        graph(
                graphs,
                "text_encoder",
                List.of(tensor("token_ids", "int64", "batch", 77)),
                List.of(tensor("text_features", "float32", "batch", EMBED)));
        ObjectNode prototypes = root.putObject("prototypes");
        prototypes.put("file", "text_prototypes.json");
        strings(prototypes.putArray("categories"), "candle", "pipe_fryum");
        ArrayNode files = root.putArray("files");
        for (String file :
                List.of(
                        "image_encoder.onnx",
                        "scorer.onnx",
                        "text_encoder.onnx",
                        "bpe_merges.txt",
                        "text_prototypes.json")) {
            ObjectNode entry = files.addObject();
            entry.put("path", file);
            entry.put("size", 1234);
            entry.put("sha256", "0123456789abcdef".repeat(4));
        }
        strings(root.putArray("notes"), "test manifest");
        return root;
    }

    static byte[] bytes(JsonNode manifest) {
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tensor object {@code graphs.<graph>.<kind>[name=tensor]}. */
    static ObjectNode tensorNode(JsonNode manifest, String graph, String kind, String tensor) {
        for (JsonNode node : manifest.get("graphs").get(graph).get(kind)) {
            if (node.get("name").asText().equals(tensor)) {
                return (ObjectNode) node;
            }
        }
        throw new IllegalArgumentException("no tensor " + tensor + " in " + graph + "." + kind);
    }

    private static void graph(
            ObjectNode graphs, String name, List<ObjectNode> inputs, List<ObjectNode> outputs) {
        ObjectNode graph = graphs.putObject(name);
        graph.put("file", name + ".onnx");
        graph.putArray("inputs").addAll(inputs);
        graph.putArray("outputs").addAll(outputs);
    }

    private static ObjectNode tensor(String name, String type, Object... shape) {
        ObjectNode tensor = MAPPER.createObjectNode();
        tensor.put("name", name);
        tensor.put("type", type);
        ArrayNode dims = tensor.putArray("shape");
        for (Object dim : shape) {
            if (dim instanceof Integer) {
                dims.add((Integer) dim);
            } else {
                dims.add((String) dim);
            }
        }
        return tensor;
    }

    private static void strings(ArrayNode array, String... values) {
        for (String value : values) {
            array.add(value);
        }
    }
}
