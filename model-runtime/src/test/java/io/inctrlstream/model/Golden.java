package io.inctrlstream.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.ImageDecoder;
import io.inctrlstream.model.image.ImageEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiny bundle's golden vectors ({@code golden.json}, written by the exporter with PyTorch at
 * batch size 1), with floats read exactly as float32.
 */
final class Golden {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The score components of one query. */
    record Components(
            float finalScore,
            float holistic,
            float patch,
            float image,
            float text,
            float[] patchMap) {}

    private final Path directory;
    private final JsonNode root;

    private Golden(Path directory, JsonNode root) {
        this.directory = directory;
        this.root = root;
    }

    static Golden load() {
        Path directory = TinyBundle.GOLDEN_DIRECTORY;
        try {
            return new Golden(
                    directory, MAPPER.readTree(directory.resolve("golden.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String modelId() {
        return root.get("bundle").get("model_id").asText();
    }

    String category() {
        return root.get("category").asText();
    }

    List<String> shots() {
        return strings(root.get("shots"));
    }

    List<String> queries() {
        List<String> names = new ArrayList<>();
        root.get("queries").fieldNames().forEachRemaining(names::add);
        return names;
    }

    Components components(String query) {
        JsonNode node = root.get("queries").get(query);
        return new Components(
                scalar(node.get("final")),
                scalar(node.get("hl")),
                scalar(node.get("s_p")),
                scalar(node.get("s_i")),
                scalar(node.get("s_a")),
                vector(node.get("patch_map")));
    }

    float[] embedding(String image) {
        return vector(root.get("images").get(image).get("embedding"));
    }

    float[] adapted(String image) {
        return vector(root.get("images").get(image).get("adapted"));
    }

    /** patch_token_samples[layer][i] = patch_tokens[layer][samplePatches()[i]]. */
    float[][][] patchTokenSamples(String image) {
        JsonNode layers = root.get("images").get(image).get("patch_token_samples");
        float[][][] samples = new float[layers.size()][][];
        for (int l = 0; l < layers.size(); l++) {
            JsonNode patches = layers.get(l);
            samples[l] = new float[patches.size()][];
            for (int i = 0; i < patches.size(); i++) {
                samples[l][i] = vector(patches.get(i));
            }
        }
        return samples;
    }

    int[] samplePatches() {
        JsonNode node = root.get("patch_token_patches");
        int[] patches = new int[node.size()];
        for (int i = 0; i < patches.length; i++) {
            patches[i] = node.get(i).asInt();
        }
        return patches;
    }

    TextPrototypes textPrototypes() {
        JsonNode node = root.get("text_prototypes");
        return TextPrototypes.of(
                category(), vector(node.get("normal")), vector(node.get("anomalous")));
    }

    /** Prototypes PyTorch computed from the prompt ensemble, by category. */
    Map<String, TextPrototypes> categoryPrototypes() {
        Map<String, TextPrototypes> prototypes = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.get("category_prototypes").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            prototypes.put(
                    entry.getKey(),
                    TextPrototypes.of(
                            entry.getKey(),
                            vector(entry.getValue().get("normal")),
                            vector(entry.getValue().get("anomalous"))));
        }
        return prototypes;
    }

    /** The original image file (PNG or JPEG), decoded. */
    DecodedImage original(String image) {
        String file = root.get("images").get(image).get("file").asText();
        ImageEncoding encoding = file.endsWith(".jpg") ? ImageEncoding.JPEG : ImageEncoding.PNG;
        return decode(directory.resolve(file), encoding);
    }

    /** The model input of an image: its stored crop normalized as torch does, CHW float32. */
    float[] normalizedCrop(String image, BundleManifest.Preprocess preprocess) {
        String file = root.get("images").get(image).get("crop").asText();
        DecodedImage crop = decode(directory.resolve(file), ImageEncoding.PNG);
        int size = preprocess.imageSize();
        if (crop.width() != size || crop.height() != size) {
            throw new IllegalStateException(file + " is not " + size + "x" + size);
        }
        float[] tensor = new float[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = crop.rgb(x, y);
                int[] channels = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int c = 0; c < 3; c++) {
                    float mean = preprocess.mean().get(c).floatValue();
                    float std = preprocess.std().get(c).floatValue();
                    tensor[c * plane + y * size + x] = (channels[c] / 255f - mean) / std;
                }
            }
        }
        return tensor;
    }

    private static DecodedImage decode(Path file, ImageEncoding encoding) {
        try {
            return new ImageDecoder().decode(encoding, Files.readAllBytes(file), 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ModelException e) {
            throw new IllegalStateException(file + " does not decode: " + e.getMessage(), e);
        }
    }

    private static float scalar(JsonNode node) {
        return Float.parseFloat(node.decimalValue().toString());
    }

    private static float[] vector(JsonNode node) {
        float[] values = new float[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scalar(node.get(i));
        }
        return values;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(n -> values.add(n.asText()));
        return values;
    }
}
