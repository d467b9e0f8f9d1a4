package io.inctrlstream.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.inctrlstream.model.ModelException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of required JSON keys that fail with {@link ModelException.Reason#BUNDLE_MISMATCH}
 * naming the full key path (such as {@code vision.width}) and what was found.
 */
final class JsonFields {
    private final String documentName;

    JsonFields(String documentName) {
        this.documentName = documentName;
    }

    JsonNode object(JsonNode parent, String key, String parentPath) throws ModelException {
        JsonNode node = required(parent, key, parentPath);
        if (!node.isObject()) {
            throw wrongType(path(parentPath, key), "an object", node);
        }
        return node;
    }

    JsonNode array(JsonNode parent, String key, String parentPath) throws ModelException {
        JsonNode node = required(parent, key, parentPath);
        if (!node.isArray()) {
            throw wrongType(path(parentPath, key), "an array", node);
        }
        return node;
    }

    String string(JsonNode parent, String key, String parentPath) throws ModelException {
        JsonNode node = required(parent, key, parentPath);
        if (!node.isTextual()) {
            throw wrongType(path(parentPath, key), "a string", node);
        }
        return node.textValue();
    }

    int integer(JsonNode parent, String key, String parentPath) throws ModelException {
        return integerValue(required(parent, key, parentPath), path(parentPath, key));
    }

    long longInteger(JsonNode parent, String key, String parentPath) throws ModelException {
        JsonNode node = required(parent, key, parentPath);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType(path(parentPath, key), "an integer", node);
        }
        return node.longValue();
    }

    double number(JsonNode parent, String key, String parentPath) throws ModelException {
        JsonNode node = required(parent, key, parentPath);
        return numberValue(node, path(parentPath, key));
    }

    List<String> strings(JsonNode parent, String key, String parentPath) throws ModelException {
        String keyPath = path(parentPath, key);
        List<String> values = new ArrayList<>();
        JsonNode array = array(parent, key, parentPath);
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isTextual()) {
                throw wrongType(keyPath + "[" + i + "]", "a string", element);
            }
            values.add(element.textValue());
        }
        return values;
    }

    List<Integer> integers(JsonNode parent, String key, String parentPath) throws ModelException {
        String keyPath = path(parentPath, key);
        List<Integer> values = new ArrayList<>();
        JsonNode array = array(parent, key, parentPath);
        for (int i = 0; i < array.size(); i++) {
            values.add(integerValue(array.get(i), keyPath + "[" + i + "]"));
        }
        return values;
    }

    List<Double> numbers(JsonNode parent, String key, String parentPath) throws ModelException {
        String keyPath = path(parentPath, key);
        List<Double> values = new ArrayList<>();
        JsonNode array = array(parent, key, parentPath);
        for (int i = 0; i < array.size(); i++) {
            values.add(numberValue(array.get(i), keyPath + "[" + i + "]"));
        }
        return values;
    }

    ModelException mismatch(String keyPath, String problem) {
        return new ModelException(
                ModelException.Reason.BUNDLE_MISMATCH,
                documentName + ": key '" + keyPath + "' " + problem);
    }

    static String path(String parentPath, String key) {
        return parentPath.isEmpty() ? key : parentPath + "." + key;
    }

    private JsonNode required(JsonNode parent, String key, String parentPath)
            throws ModelException {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_MISMATCH,
                    documentName + ": required key '" + path(parentPath, key) + "' is missing");
        }
        return node;
    }

    private int integerValue(JsonNode node, String keyPath) throws ModelException {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(keyPath, "an integer", node);
        }
        return node.intValue();
    }

    private double numberValue(JsonNode node, String keyPath) throws ModelException {
        if (!node.isNumber()) {
            throw wrongType(keyPath, "a number", node);
        }
        return node.doubleValue();
    }

    private ModelException wrongType(String keyPath, String expected, JsonNode found) {
        return mismatch(keyPath, "must be " + expected + ", found " + abbreviate(found.toString()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
