package io.inctrlstream.model.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ModelException.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The prompt ensemble that gives InCTRL its text prior: for a category, every template applied to
 * every normal (resp. anomalous) state, or a single prompt of each kind for a few special
 * categories. Same rules as the reference and the exporter's {@code prompt_ensemble}: underscores
 * in the category become spaces, a special category is recognised after that (case-sensitively),
 * states are the outer loop and templates the inner one. Each pattern holds one {@code {}} that the
 * category (or the filled state) replaces literally.
 *
 * <p>Immutable; build one with {@link #builder()}, {@link #reference()} or from a bundle manifest's
 * {@code text} section.
 */
public final class PromptEnsemble {
    private static final String PLACEHOLDER = "{}";

    private final List<String> normalStates;
    private final List<String> anomalousStates;
    private final List<String> templates;
    private final Set<String> specialCategories;
    private final String specialNormal;
    private final String specialAnomalous;

    private PromptEnsemble(Builder builder) {
        this.normalStates = List.copyOf(builder.normalStates);
        this.anomalousStates = List.copyOf(builder.anomalousStates);
        this.templates = List.copyOf(builder.templates);
        this.specialCategories = Set.copyOf(builder.specialCategories);
        this.specialNormal = builder.specialNormal;
        this.specialAnomalous = builder.specialAnomalous;
    }

    /** The reference implementation's ensemble: 7 normal and 4 anomalous states, 22 templates. */
    public static PromptEnsemble reference() {
        return builder()
                .normalStates(
                        List.of(
                                "{}",
                                "flawless {}",
                                "perfect {}",
                                "unblemished {}",
                                "{} without flaw",
                                "{} without defect",
                                "{} without damage"))
                .anomalousStates(
                        List.of("damaged {}", "{} with flaw", "{} with defect", "{} with damage"))
                .templates(
                        List.of(
                                "a cropped photo of the {}.",
                                "a cropped photo of a {}.",
                                "a close-up photo of a {}.",
                                "a close-up photo of the {}.",
                                "a bright photo of a {}.",
                                "a bright photo of the {}.",
                                "a dark photo of a {}.",
                                "a dark photo of the {}.",
                                "a jpeg corrupted photo of a {}.",
                                "a jpeg corrupted photo of the {}.",
                                "a blurry photo of the {}.",
                                "a blurry photo of a {}.",
                                "a photo of the {}.",
                                "a photo of a {}.",
                                "a photo of a small {}.",
                                "a photo of the small {}.",
                                "a photo of a large {}.",
                                "a photo of the large {}.",
                                "a photo of a {} for visual inspection.",
                                "a photo of the {} for visual inspection.",
                                "a photo of a {} for anomaly detection.",
                                "a photo of the {} for anomaly detection."))
                .specialCategories(
                        List.of(
                                "airplane",
                                "automobile",
                                "bird",
                                "cat",
                                "deer",
                                "dog",
                                "frog",
                                "horse",
                                "ship",
                                "truck",
                                "animal"))
                .specialNormal("a photo of {} for anomaly detection.")
                .specialAnomalous("a photo without {} for anomaly detection.")
                .build();
    }

    /**
     * The ensemble a bundle manifest's {@code text} section describes (keys {@code normal_states},
     * {@code anomalous_states}, {@code templates}, {@code special_categories}, {@code
     * special_normal}, {@code special_anomalous}).
     *
     * @throws ModelException BUNDLE_MISMATCH if a key is missing, of the wrong type, or a pattern
     *     lacks its single {@code {}}
     */
    public static PromptEnsemble fromManifestText(JsonNode text) throws ModelException {
        if (text == null || !text.isObject()) {
            throw new ModelException(
                    Reason.BUNDLE_MISMATCH,
                    "manifest text: expected an object, found " + describe(text));
        }
        try {
            return builder()
                    .normalStates(stringList(text, "normal_states"))
                    .anomalousStates(stringList(text, "anomalous_states"))
                    .templates(stringList(text, "templates"))
                    .specialCategories(stringList(text, "special_categories"))
                    .specialNormal(string(text, "special_normal"))
                    .specialAnomalous(string(text, "special_anomalous"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ModelException(Reason.BUNDLE_MISMATCH, "manifest text: " + e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Prompts describing a normal {@code category}. */
    public List<String> normalPrompts(String category) {
        String name = name(category);
        if (specialCategories.contains(name)) {
            return List.of(fill(specialNormal, name));
        }
        return expand(normalStates, name);
    }

    /** Prompts describing an anomalous {@code category}. */
    public List<String> anomalousPrompts(String category) {
        String name = name(category);
        if (specialCategories.contains(name)) {
            return List.of(fill(specialAnomalous, name));
        }
        return expand(anomalousStates, name);
    }

    public List<String> normalStates() {
        return normalStates;
    }

    public List<String> anomalousStates() {
        return anomalousStates;
    }

    public List<String> templates() {
        return templates;
    }

    public Set<String> specialCategories() {
        return specialCategories;
    }

    private List<String> expand(List<String> states, String name) {
        List<String> prompts = new ArrayList<>(states.size() * templates.size());
        for (String state : states) {
            String filledState = fill(state, name);
            for (String template : templates) {
                prompts.add(fill(template, filledState));
            }
        }
        return List.copyOf(prompts);
    }

    private static String name(String category) {
        if (category == null) {
            throw new IllegalArgumentException("category must not be null");
        }
        return category.replace('_', ' ');
    }

    private static String fill(String pattern, String value) {
        return pattern.replace(PLACEHOLDER, value);
    }

    private static List<String> stringList(JsonNode text, String key) {
        JsonNode node = text.get(key);
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(
                    key + ": expected an array of strings, found " + describe(node));
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException(
                        key + ": expected an array of strings, found an element " + element);
            }
            values.add(element.asText());
        }
        return values;
    }

    private static String string(JsonNode text, String key) {
        JsonNode node = text.get(key);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException(
                    key + ": expected a string, found " + describe(node));
        }
        return node.asText();
    }

    private static String describe(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().toString().toLowerCase() + " " + node;
    }

    /** Builds a {@link PromptEnsemble}; {@link #build()} checks every pattern. */
    public static final class Builder {
        private List<String> normalStates = List.of();
        private List<String> anomalousStates = List.of();
        private List<String> templates = List.of();
        private Collection<String> specialCategories = List.of();
        private String specialNormal;
        private String specialAnomalous;

        private Builder() {}

        /** Normal states, each with one {@code {}} for the category name. */
        public Builder normalStates(List<String> states) {
            this.normalStates = List.copyOf(Objects.requireNonNull(states, "states"));
            return this;
        }

        /** Anomalous states, each with one {@code {}} for the category name. */
        public Builder anomalousStates(List<String> states) {
            this.anomalousStates = List.copyOf(Objects.requireNonNull(states, "states"));
            return this;
        }

        /** Templates, each with one {@code {}} for a filled state. */
        public Builder templates(List<String> templates) {
            this.templates = List.copyOf(Objects.requireNonNull(templates, "templates"));
            return this;
        }

        /** Categories (underscores already spaces) that get one prompt of each kind. */
        public Builder specialCategories(Collection<String> categories) {
            this.specialCategories = List.copyOf(Objects.requireNonNull(categories, "categories"));
            return this;
        }

        /** The single normal prompt of a special category, with one {@code {}}. */
        public Builder specialNormal(String pattern) {
            this.specialNormal = pattern;
            return this;
        }

        /** The single anomalous prompt of a special category, with one {@code {}}. */
        public Builder specialAnomalous(String pattern) {
            this.specialAnomalous = pattern;
            return this;
        }

        /**
         * @throws IllegalArgumentException if states or templates are empty, a pattern does not
         *     hold exactly one {@code {}}, or special categories lack their two patterns
         */
        public PromptEnsemble build() {
            requirePatterns("normal_states", normalStates);
            requirePatterns("anomalous_states", anomalousStates);
            requirePatterns("templates", templates);
            if (!specialCategories.isEmpty()) {
                requirePattern("special_normal", specialNormal);
                requirePattern("special_anomalous", specialAnomalous);
            }
            return new PromptEnsemble(this);
        }

        private static void requirePatterns(String what, List<String> patterns) {
            if (patterns.isEmpty()) {
                throw new IllegalArgumentException(
                        what + ": expected at least one pattern, found none");
            }
            for (String pattern : patterns) {
                requirePattern(what, pattern);
            }
        }

        private static void requirePattern(String what, String pattern) {
            if (pattern == null) {
                throw new IllegalArgumentException(
                        what + ": expected a pattern with one '{}', found nothing");
            }
            int first = pattern.indexOf(PLACEHOLDER);
            if (first < 0 || pattern.indexOf(PLACEHOLDER, first + PLACEHOLDER.length()) >= 0) {
                throw new IllegalArgumentException(
                        what
                                + ": expected a pattern with exactly one '{}', found '"
                                + pattern
                                + "'");
            }
        }
    }
}
