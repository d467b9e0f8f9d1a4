package io.inctrlstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ModelException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptEnsembleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void referenceEnsembleOfAnOrdinaryCategory() {
        PromptEnsemble ensemble = PromptEnsemble.reference();
        List<String> normal = ensemble.normalPrompts("metal_nut");
        List<String> anomalous = ensemble.anomalousPrompts("metal_nut");
        assertThat(normal)
                .hasSize(ensemble.normalStates().size() * ensemble.templates().size())
                .hasSize(154);
        assertThat(anomalous).hasSize(88);
        assertThat(normal.get(0)).isEqualTo("a cropped photo of the metal nut.");
        assertThat(normal.get(22)).isEqualTo("a cropped photo of the flawless metal nut.");
        assertThat(anomalous).contains("a photo of a metal nut with defect for visual inspection.");
        assertThat(normal).noneMatch(p -> p.contains("_") || p.contains("{}"));
    }

    @Test
    void specialCategoriesGetOnePromptEach() {
        PromptEnsemble ensemble = PromptEnsemble.reference();
        assertThat(ensemble.specialCategories()).hasSize(11).contains("dog", "animal");
        assertThat(ensemble.normalPrompts("dog"))
                .containsExactly("a photo of dog for anomaly detection.");
        assertThat(ensemble.anomalousPrompts("dog"))
                .containsExactly("a photo without dog for anomaly detection.");
        assertThat(ensemble.normalPrompts("Dog")).hasSize(154);
        assertThat(ensemble.normalPrompts("dog_")).hasSize(154);
    }

    @Test
    void theCategoryIsInsertedLiterally() {
        PromptEnsemble ensemble =
                PromptEnsemble.builder()
                        .normalStates(List.of("{} ok"))
                        .anomalousStates(List.of("bad {}"))
                        .templates(List.of("<{}>"))
                        .build();
        assertThat(ensemble.normalPrompts("a_{}_$1")).containsExactly("<a {} $1 ok>");
        assertThat(ensemble.anomalousPrompts("x")).containsExactly("<bad x>");
        assertThatThrownBy(() -> ensemble.normalPrompts(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category must not be null");
    }

    @Test
    void builderChecksPatterns() {
        assertThatThrownBy(() -> PromptEnsemble.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normal_states: expected at least one pattern, found none");
        assertThatThrownBy(
                        () ->
                                PromptEnsemble.builder()
                                        .normalStates(List.of("{}"))
                                        .anomalousStates(List.of("{} {}"))
                                        .templates(List.of("{}"))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "anomalous_states: expected a pattern with exactly one '{}', found '{} {}'");
        assertThatThrownBy(
                        () ->
                                PromptEnsemble.builder()
                                        .normalStates(List.of("{}"))
                                        .anomalousStates(List.of("{}"))
                                        .templates(List.of("{}"))
                                        .specialCategories(List.of("dog"))
                                        .specialNormal("a photo of {}")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("special_anomalous: expected a pattern with one '{}', found nothing");
    }

    @Test
    void readsTheManifestTextSection() throws Exception {
        PromptEnsemble reference = PromptEnsemble.reference();
        ObjectNode text = manifestText(reference);
        PromptEnsemble fromManifest = PromptEnsemble.fromManifestText(text);
        for (String category : List.of("candle", "pipe_fryum", "cat")) {
            assertThat(fromManifest.normalPrompts(category))
                    .isEqualTo(reference.normalPrompts(category));
            assertThat(fromManifest.anomalousPrompts(category))
                    .isEqualTo(reference.anomalousPrompts(category));
        }
    }

    @Test
    void rejectsABadManifestTextSection() {
        ObjectNode missing = manifestText(PromptEnsemble.reference());
        missing.remove("templates");
        assertMismatch(
                missing, "manifest text: templates: expected an array of strings, found nothing");
        ObjectNode wrongType = manifestText(PromptEnsemble.reference());
        wrongType.put("special_normal", 3);
        assertMismatch(
                wrongType, "manifest text: special_normal: expected a string, found number 3");
        ObjectNode badElement = manifestText(PromptEnsemble.reference());
        badElement.putArray("normal_states").add("{}").add(true);
        assertMismatch(
                badElement,
                "manifest text: normal_states: expected an array of strings, found an element"
                        + " true");
        ObjectNode badPattern = manifestText(PromptEnsemble.reference());
        badPattern.putArray("templates").add("no placeholder");
        assertMismatch(
                badPattern,
                "manifest text: templates: expected a pattern with exactly one '{}', found 'no"
                        + " placeholder'");
        assertThatThrownBy(() -> PromptEnsemble.fromManifestText(JSON.getNodeFactory().arrayNode()))
                .isInstanceOf(ModelException.class)
                .hasMessage("manifest text: expected an object, found array []");
    }

    private static void assertMismatch(ObjectNode text, String message) {
        assertThatThrownBy(() -> PromptEnsemble.fromManifestText(text))
                .isInstanceOf(ModelException.class)
                .hasMessage(message)
                .extracting(e -> ((ModelException) e).reason())
                .isEqualTo(Reason.BUNDLE_MISMATCH);
    }

    private static ObjectNode manifestText(PromptEnsemble ensemble) {
        ObjectNode text = JSON.createObjectNode();
        text.put("context_length", 77);
        ensemble.normalStates().forEach(text.putArray("normal_states")::add);
        ensemble.anomalousStates().forEach(text.putArray("anomalous_states")::add);
        ensemble.templates().forEach(text.putArray("templates")::add);
        ensemble.specialCategories().forEach(text.putArray("special_categories")::add);
        text.put("special_normal", "a photo of {} for anomaly detection.");
        text.put("special_anomalous", "a photo without {} for anomaly detection.");
        return text;
    }
}
