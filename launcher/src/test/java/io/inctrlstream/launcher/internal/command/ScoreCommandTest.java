package io.inctrlstream.launcher.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.launcher.CliRun;
import io.inctrlstream.launcher.internal.BundleLocator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inctrl score} on the committed tiny bundle and its golden images. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path golden() {
        return BundleLocator.goldenImages().orElseThrow();
    }

    private static JsonNode goldenScores() throws IOException {
        return JSON.readTree(golden().resolve("golden.json").toFile()).path("queries");
    }

    @Test
    void withoutArgumentsScoresTheGoldenImagesAsTheReferenceDid() throws IOException {
        CliRun run = CliRun.of("score");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode expected = goldenScores();
        assertThat(expected.size()).isPositive();
        String table = run.out();
        assertThat(table).contains("model inctrl-tiny@1 on CPU, category capsule, 3 shots");
        assertThat(table).contains("IMAGE", "FINAL", "HL", "S_P", "S_I", "S_A");
        Iterator<Map.Entry<String, JsonNode>> queries = expected.fields();
        while (queries.hasNext()) {
            Map.Entry<String, JsonNode> query = queries.next();
            String row =
                    table.lines()
                            .filter(line -> line.startsWith(query.getKey() + "."))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no row for " + query.getKey()));
            String[] cells = row.trim().split("\\s+");
            JsonNode scores = query.getValue();
            String[] names = {"final", "hl", "s_p", "s_i", "s_a"};
            for (int i = 0; i < names.length; i++) {
                assertThat(Double.parseDouble(cells[i + 1]))
                        .as(query.getKey() + " " + names[i])
                        .isCloseTo(scores.path(names[i]).asDouble(), within(1e-4));
            }
        }
    }

    @Test
    void scoresGivenFilesAsJsonAndWritesHeatmaps(@TempDir Path heatmaps) throws IOException {
        Path dir = golden();
        CliRun run =
                CliRun.of(
                        "score",
                        "--cpu",
                        "--category",
                        "capsule",
                        "--shots",
                        dir.resolve("shot_0.png") + "," + dir.resolve("shot_1.png"),
                        "--shots",
                        dir.resolve("shot_2.png").toString(),
                        "--heatmaps",
                        heatmaps.toString(),
                        "--json",
                        dir.resolve("query_scratch.png").toString(),
                        dir.resolve("query_normal.jpg").toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        assertThat(rows).hasSize(2);
        JsonNode expected = goldenScores();
        assertThat(rows.get(0).path("final").asDouble())
                .isCloseTo(expected.path("query_scratch").path("final").asDouble(), within(1e-4));
        assertThat(rows.get(1).path("s_p").asDouble())
                .isCloseTo(expected.path("query_normal").path("s_p").asDouble(), within(1e-4));
        for (JsonNode row : rows) {
            Path heatmap = Path.of(row.path("heatmap").asText());
            assertThat(heatmap.getParent()).isEqualTo(heatmaps);
            BufferedImage image = ImageIO.read(heatmap.toFile());
            assertThat(image.getWidth()).isEqualTo(240);
            assertThat(image.getHeight()).isEqualTo(240);
        }
        assertThat(Files.list(heatmaps).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("query_scratch.heatmap.png", "query_normal.heatmap.png");
    }

    @Test
    void scoresAFolderOfImages(@TempDir Path folder) throws IOException {
        Files.copy(golden().resolve("query_small.png"), folder.resolve("a.png"));
        Files.copy(golden().resolve("query_other.png"), folder.resolve("b.png"));

        CliRun run =
                CliRun.of(
                        "score",
                        "--shots",
                        golden().resolve("shot_0.png").toString(),
                        folder.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("category object, 1 shot");
        assertThat(
                        run.out()
                                .lines()
                                .filter(
                                        line ->
                                                line.startsWith("a.png ")
                                                        || line.startsWith("b.png ")))
                .hasSize(2);
    }
}
