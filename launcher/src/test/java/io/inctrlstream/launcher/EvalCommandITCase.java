package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end with the committed tiny bundle: {@code dataset synth} writes a small synthetic set,
 * {@code eval} runs the protocol on it (JSON, Markdown, curves), {@code threshold suggest} suggests
 * from its images.
 */
class EvalCommandITCase {
    @TempDir static Path temp;
    static Path dataset;

    @BeforeAll
    static void synth() {
        dataset = temp.resolve("synth");
        CliRun run =
                CliRun.of(
                        "dataset",
                        "synth",
                        "--out",
                        dataset.toString(),
                        "--categories",
                        "pcb,label-2",
                        "--good",
                        "4",
                        "--test-good",
                        "3",
                        "--defects",
                        "1",
                        "--size",
                        "96",
                        "--seed",
                        "5");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("wrote 2 categories (pcb, label-2), 11 images each, to " + dataset);
    }

    @Test
    void evalWritesEveryMethodCategoryAndKWithThresholdsAndCurves() throws Exception {
        Path json = temp.resolve("eval.json");
        Path report = temp.resolve("report");
        CliRun run =
                CliRun.of(
                        "eval",
                        "--dataset",
                        dataset.toString(),
                        "--shots",
                        "1,2",
                        "--runs",
                        "2",
                        "--seed",
                        "3",
                        "--json",
                        json.toString(),
                        "--report",
                        report.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("eval [").contains("100%").contains("done in");
        assertThat(run.out())
                .contains("Image-level AUROC, mean ± std over runs:")
                .contains("| category | K | inctrl | holistic | s_p | s_i | s_a | patch-knn |")
                .contains("| **average** | 2 |")
                .contains("| category | K | threshold | false alarms | misses |")
                .containsPattern("\\| pcb \\| 2 \\| 0\\.\\d{3} ± 0\\.\\d{3} \\| \\d+\\.\\d% ± ")
                .containsPattern("Encoded \\d+ images in ");

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("model").asText()).isEqualTo("inctrl-tiny@1");
        JsonNode results = root.path("results");
        // 6 methods x (2 categories + the average) x 2 K.
        assertThat(results).hasSize(6 * 3 * 2);
        Set<String> keys = new HashSet<>();
        for (JsonNode row : results) {
            keys.add(
                    row.path("method").asText()
                            + "/"
                            + row.path("category").asText()
                            + "/"
                            + row.path("shots").asInt());
            assertThat(row.path("model").asText()).isEqualTo("inctrl-tiny@1");
            assertThat(row.path("runs").asInt()).isEqualTo(2);
            assertThat(row.path("auroc_runs")).hasSize(2);
            for (String field : List.of("auroc_mean", "auroc_std", "auprc_mean", "auprc_std")) {
                assertThat(row.path(field).asDouble()).as(field).isBetween(0.0, 1.0);
            }
        }
        assertThat(keys)
                .hasSize(36)
                .contains("patch-knn/average/1", "s_a/label-2/2", "inctrl/pcb/1");
        // The text prior sees neither the shots nor the runs: its spread over runs is zero.
        for (JsonNode row : results) {
            if (row.path("method").asText().equals("s_a")) {
                assertThat(row.path("auroc_std").asDouble()).isZero();
            }
        }
        assertThat(root.path("thresholds")).hasSize(2);

        assertThat(report.resolve("report.md")).content().contains("| **average** | 1 |");
        for (String chart :
                List.of(
                        "roc-pcb-k1.png",
                        "pr-pcb-k1.png",
                        "roc-label-2-k2.png",
                        "pr-label-2-k2.png")) {
            BufferedImage image = ImageIO.read(report.resolve(chart).toFile());
            assertThat(image.getWidth()).as(chart).isEqualTo(480);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "mvtec, MVTEC_AD, 'bottle,screw,average'",
        "visa, VISA_SPLIT, 'candle,pcb1,average'",
        "good-defect/widget, GOOD_AND_DEFECT, widget"
    })
    void evalReadsEveryLayout(String tree, String layout, String categories) throws Exception {
        Path root = Path.of(EvalCommandITCase.class.getResource("/datasets/" + tree).toURI());
        Path json = temp.resolve(tree.replace('/', '-') + ".json");
        CliRun run =
                CliRun.of(
                        "eval",
                        "--dataset",
                        root.toString(),
                        "--shots",
                        "1,2",
                        "--runs",
                        "2",
                        "--json",
                        json.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        // The work planned is the work done (shots drawn from good/ are not scored).
        assertThat(run.err()).containsPattern("eval \\[#+\\] 100%  (\\d+)/\\1  done in");
        JsonNode document = new ObjectMapper().readTree(json.toFile());
        assertThat(document.path("layout").asText()).isEqualTo(layout);
        Set<String> found = new HashSet<>();
        document.path("results").forEach(row -> found.add(row.path("category").asText()));
        assertThat(found).containsExactlyInAnyOrder(categories.split(","));
    }

    @Test
    void theSameSeedGivesTheSameResults() throws Exception {
        Path first = temp.resolve("first.json");
        Path second = temp.resolve("second.json");
        for (Path json : List.of(first, second)) {
            CliRun run =
                    CliRun.of(
                            "eval",
                            "--dataset",
                            dataset.toString(),
                            "--categories",
                            "pcb",
                            "--shots",
                            "2",
                            "--runs",
                            "2",
                            "--baseline",
                            "none",
                            "--json",
                            json.toString());
            assertThat(run.exitCode()).as(run.toString()).isZero();
        }
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(first.toFile()).path("results"))
                .isEqualTo(mapper.readTree(second.toFile()).path("results"))
                .hasSize(5);
    }

    @Test
    void thresholdSuggestFromShotsAloneAndWithValidationImages() {
        Path pcb = dataset.resolve("pcb");
        CliRun shotsOnly =
                CliRun.of(
                        "threshold",
                        "suggest",
                        "--shots",
                        pcb.resolve("train/good").toString(),
                        "--category",
                        "pcb");
        assertThat(shotsOnly.exitCode()).as(shotsOnly.toString()).isZero();
        assertThat(shotsOnly.out())
                .containsPattern(
                        "suggested threshold 0\\.\\d{4} \\(just above the 4 good scores \\(highest"
                                + " 0\\.\\d{4}\\), by their spread; 4 shots, each scored against"
                                + " the other 3, model inctrl-tiny@1, category pcb\\)")
                .contains("on these images: false alarms 0/4 (0.0%)")
                .contains("set it with: inctrl threshold set --line <line> 0.");

        CliRun labelled =
                CliRun.of(
                        "threshold",
                        "suggest",
                        "--shots",
                        pcb.resolve("train/good").toString(),
                        "--category",
                        "pcb",
                        "--good",
                        pcb.resolve("test/good").toString(),
                        "--defect",
                        pcb.resolve("test/scratch") + "," + pcb.resolve("test/spot"));
        assertThat(labelled.exitCode()).as(labelled.toString()).isZero();
        assertThat(labelled.out())
                .containsPattern("suggested threshold 0\\.\\d{4} \\(best F1 \\d\\.\\d{3}")
                .containsPattern("false alarms \\d/3 \\(.*\\), misses \\d/2 ");
    }
}
