package io.inctrlstream.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.TextPrototypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a bundle's {@code text_prototypes.json}: per category, the unit-length normal and anomalous
 * prototypes of length {@code embed_dim}.
 */
public final class TextPrototypesFile {
    /** How far from 1 a stored prototype's length may be (it is written from fp32 values). */
    private static final double UNIT_LENGTH_TOLERANCE = 1e-3;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TextPrototypesFile() {}

    /**
     * Reads and checks the file against the manifest's embedding dimension and category list.
     *
     * @throws ModelException BUNDLE_CORRUPT if it is not JSON, BUNDLE_MISMATCH naming the key if
     *     its content disagrees with the manifest
     */
    public static Map<String, TextPrototypes> read(
            Path file, int embedDim, List<String> expectedCategories) throws ModelException {
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT,
                    name + " is not readable JSON: " + e.getMessage(),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT, name + " must hold a JSON object");
        }
        JsonFields fields = new JsonFields(name);
        int fileEmbedDim = fields.integer(root, "embed_dim", "");
        if (fileEmbedDim != embedDim) {
            throw fields.mismatch(
                    "embed_dim",
                    "must equal the manifest's vision.embed_dim "
                            + embedDim
                            + ", found "
                            + fileEmbedDim);
        }
        JsonNode categories = fields.object(root, "categories", "");
        Map<String, TextPrototypes> prototypes = new LinkedHashMap<>();
        for (String category : expectedCategories) {
            String key = "categories." + category;
            if (!categories.has(category)) {
                throw fields.mismatch(key, "is missing (the manifest lists this category)");
            }
            JsonNode entry = fields.object(categories, category, "categories");
            float[] normal = vector(fields, entry, "normal", key, embedDim);
            float[] anomalous = vector(fields, entry, "anomalous", key, embedDim);
            prototypes.put(category, TextPrototypes.of(category, normal, anomalous));
        }
        if (categories.size() != expectedCategories.size()) {
            throw fields.mismatch(
                    "categories",
                    "must hold exactly the manifest's categories "
                            + expectedCategories
                            + ", found "
                            + categories.size()
                            + " entries");
        }
        return prototypes;
    }

    private static float[] vector(
            JsonFields fields, JsonNode entry, String key, String parentKey, int embedDim)
            throws ModelException {
        List<Double> values = fields.numbers(entry, key, parentKey);
        String path = parentKey + "." + key;
        if (values.size() != embedDim) {
            throw fields.mismatch(
                    path, "must hold " + embedDim + " values, found " + values.size());
        }
        float[] vector = new float[embedDim];
        double squares = 0;
        for (int i = 0; i < embedDim; i++) {
            vector[i] = values.get(i).floatValue();
            squares += (double) vector[i] * vector[i];
        }
        double length = Math.sqrt(squares);
        if (!(Math.abs(length - 1) <= UNIT_LENGTH_TOLERANCE)) {
            throw fields.mismatch(path, "must have unit length, found length " + length);
        }
        return vector;
    }
}
