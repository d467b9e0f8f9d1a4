package io.inctrlstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.model.text.internal.TextCleaner;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java tokenizer against ids the exporter's Python tokenizer wrote to {@code
 * tokenizer/golden.json} (regenerated and checked current by {@code tests/test_tokenizer.py}).
 */
class ClipTokenizerGoldenTest {
    private static JsonNode golden;
    private static Path mergesFile;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        Path directory = Path.of(ClipTokenizerGoldenTest.class.getResource("/tokenizer").toURI());
        golden = new ObjectMapper().readTree(directory.resolve("golden.json").toFile());
        mergesFile = directory.resolve(golden.get("bpe_file").asText());
        tokenizer = ClipTokenizer.fromBpeFile(mergesFile, golden.get("num_merges").asInt());
    }

    @Test
    void vocabularyMatchesPython() {
        assertThat(tokenizer.numMerges()).isEqualTo(golden.get("num_merges").asInt());
        assertThat(tokenizer.vocabSize()).isEqualTo(golden.get("vocab_size").asInt());
        assertThat(tokenizer.sotToken()).isEqualTo(golden.get("sot_token").asInt());
        assertThat(tokenizer.eotToken()).isEqualTo(golden.get("eot_token").asInt());
        assertThat(tokenizer.eotToken()).isEqualTo(tokenizer.vocabSize() - 1);
    }

    @Test
    void cleaningMatchesPython() {
        assertThat(golden.get("encode").size()).isGreaterThanOrEqualTo(240);
        for (JsonNode example : golden.get("encode")) {
            String text = example.get("text").asText();
            assertThat(TextCleaner.clean(text))
                    .as("cleaned %s", quoted(text))
                    .isEqualTo(example.get("cleaned").asText());
        }
    }

    @Test
    void idsMatchPython() {
        for (JsonNode example : golden.get("encode")) {
            String text = example.get("text").asText();
            assertThat(tokenizer.encode(text))
                    .as("ids of %s", quoted(text))
                    .containsExactly(ints(example.get("ids")));
        }
    }

    @Test
    void tokenizedRowsMatchPythonIncludingTruncation() {
        boolean sawTruncation = false;
        for (JsonNode example : golden.get("tokenize")) {
            String text = example.get("text").asText();
            int contextLength = example.get("context_length").asInt();
            long[][] rows = tokenizer.tokenize(List.of(text), contextLength);
            long[] expected = longs(example.get("row"));
            assertThat(rows).hasDimensions(1, contextLength);
            assertThat(rows[0]).as("row of %s", quoted(text)).containsExactly(expected);
            if (tokenizer.encode(text).length > contextLength - 2) {
                sawTruncation = true;
                assertThat(rows[0][contextLength - 1]).isEqualTo(tokenizer.eotToken());
            }
        }
        assertThat(sawTruncation).isTrue();
    }

    @Test
    void gzipMergesFileGivesTheSameIds(@TempDir Path tmp) throws Exception {
        Path packed = tmp.resolve("merges.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(packed))) {
            out.write(Files.readAllBytes(mergesFile));
        }
        ClipTokenizer fromGzip = ClipTokenizer.fromBpeFile(packed, tokenizer.numMerges());
        for (JsonNode example : golden.get("encode")) {
            String text = example.get("text").asText();
            assertThat(fromGzip.encode(text)).as(quoted(text)).isEqualTo(tokenizer.encode(text));
        }
    }

    @Test
    void concurrentCallersGetTheSameIds() throws Exception {
        ClipTokenizer fresh =
                ClipTokenizer.fromBpeFile(mergesFile, golden.get("num_merges").asInt());
        List<String> texts = new ArrayList<>();
        golden.get("encode").forEach(example -> texts.add(example.get("text").asText()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<int[]>>> results = new ArrayList<>();
            for (int worker = 0; worker < 4; worker++) {
                results.add(
                        pool.submit(
                                () -> {
                                    List<int[]> ids = new ArrayList<>();
                                    for (String text : texts) {
                                        ids.add(fresh.encode(text));
                                    }
                                    return ids;
                                }));
            }
            for (Future<List<int[]>> result : results) {
                List<int[]> ids = result.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(ids.get(i)).isEqualTo(tokenizer.encode(texts.get(i)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void promptEnsemblesMatchPython() {
        PromptEnsemble ensemble = PromptEnsemble.reference();
        JsonNode prompts = golden.get("prompts");
        prompts.fieldNames()
                .forEachRemaining(
                        category -> {
                            assertThat(ensemble.normalPrompts(category))
                                    .as("normal prompts of %s", category)
                                    .containsExactlyElementsOf(
                                            strings(prompts.get(category).get("normal")));
                            assertThat(ensemble.anomalousPrompts(category))
                                    .as("anomalous prompts of %s", category)
                                    .containsExactlyElementsOf(
                                            strings(prompts.get(category).get("anomalous")));
                        });
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints()
                .forEach(
                        c -> {
                            if (c >= 0x20 && c < 0x7f) {
                                out.appendCodePoint(c);
                            } else {
                                out.append(String.format("\\u{%x}", c));
                            }
                        });
        return out.append('"').toString();
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
