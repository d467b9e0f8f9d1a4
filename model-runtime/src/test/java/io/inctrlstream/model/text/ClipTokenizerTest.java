package io.inctrlstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ModelException.Reason;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge cases and error reporting of {@link ClipTokenizer} on small hand-written merge files. */
class ClipTokenizerTest {
    @TempDir Path tmp;

    private Path mergesFile(String name, String content) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private ClipTokenizer tokenizer(String... merges) throws Exception {
        Path file = mergesFile("merges.txt", "#version: test\n" + String.join("\n", merges) + "\n");
        return ClipTokenizer.fromBpeFile(file, merges.length);
    }

    @Test
    void vocabularyHasBytesWordEndsMergesAndSpecialTokens() throws Exception {
        ClipTokenizer tokenizer = tokenizer("c a", "ca t</w>");
        assertThat(tokenizer.numMerges()).isEqualTo(2);
        assertThat(tokenizer.vocabSize()).isEqualTo(256 + 256 + 2 + 2);
        assertThat(tokenizer.sotToken()).isEqualTo(514);
        assertThat(tokenizer.eotToken()).isEqualTo(515);
        // '!' is the first byte symbol, 'a' the 65th; word-end forms follow the 256 bytes
        assertThat(tokenizer.encode("!")).containsExactly(256);
        assertThat(tokenizer.encode("a")).containsExactly(256 + 'a' - '!');
        assertThat(tokenizer.encode("cat")).containsExactly(513);
        assertThat(tokenizer.encode("ca")).containsExactly('c' - '!', 256 + 'a' - '!');
        assertThat(tokenizer.encode("cats")).containsExactly(512, 't' - '!', 256 + 's' - '!');
    }

    @Test
    void mergesApplyByRankNotByPosition() throws Exception {
        // "b c" ranks before "a b": abc becomes a + bc, never ab + c
        ClipTokenizer tokenizer = tokenizer("b c</w>", "a b");
        assertThat(tokenizer.encode("abc")).containsExactly('a' - '!', 512);
    }

    @Test
    void withoutMergesEveryUtf8ByteIsOneToken() throws Exception {
        ClipTokenizer tokenizer = tokenizer();
        int[] ids = tokenizer.encode("\uD83D\uDE00"); // one emoji, four UTF-8 bytes
        assertThat(ids).hasSize(4);
        assertThat(Arrays.stream(ids).limit(3)).allMatch(id -> id < 256);
        assertThat(ids[3]).isBetween(256, 511);
    }

    @Test
    void specialTokenTextGetsTheSpecialIds() throws Exception {
        ClipTokenizer tokenizer = tokenizer();
        assertThat(tokenizer.encode("<START_OF_TEXT> <end_of_text>"))
                .containsExactly(tokenizer.sotToken(), tokenizer.eotToken());
    }

    @Test
    void tokenizePadsAndTruncates() throws Exception {
        ClipTokenizer tokenizer = tokenizer();
        long[][] rows = tokenizer.tokenize(List.of("ab", "", "abcdefgh"), 6);
        long sot = tokenizer.sotToken();
        long eot = tokenizer.eotToken();
        long a = 'a' - '!';
        assertThat(rows[0]).containsExactly(sot, a, 256 + 'b' - '!', eot, 0, 0);
        assertThat(rows[1]).containsExactly(sot, eot, 0, 0, 0, 0);
        assertThat(rows[2]).containsExactly(sot, a, a + 1, a + 2, a + 3, eot);
        assertThat(tokenizer.tokenize(List.of(), 77)).isEmpty();
    }

    @Test
    void theWholeReferenceEnsembleFitsTheContext() throws Exception {
        Path directory = Path.of(getClass().getResource("/tokenizer").toURI());
        ClipTokenizer tokenizer =
                ClipTokenizer.fromBpeFile(directory.resolve("tiny_merges.txt"), 100);
        PromptEnsemble ensemble = PromptEnsemble.reference();
        List<String> prompts = new ArrayList<>(ensemble.normalPrompts("metal_nut"));
        prompts.addAll(ensemble.anomalousPrompts("metal_nut"));
        long[][] rows = tokenizer.tokenize(prompts, 77);
        assertThat(rows).hasNumberOfRows(242);
        for (long[] row : rows) {
            assertThat(row[0]).isEqualTo(tokenizer.sotToken());
            assertThat(Arrays.stream(row).filter(id -> id == tokenizer.eotToken())).hasSize(1);
        }
    }

    @Test
    void badArgumentsAreRejected() throws Exception {
        ClipTokenizer tokenizer = tokenizer();
        assertThatThrownBy(() -> tokenizer.encode(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("text must not be null");
        assertThatThrownBy(() -> tokenizer.tokenize(List.of("x"), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context length must be >= 2 (start and end token), got 1");
        Path file = mergesFile("ok.txt", "#v\na b\n");
        assertThatThrownBy(() -> ClipTokenizer.fromBpeFile(file, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("number of merges must be >= 0, got -1");
    }

    @Test
    void toleratesCrLfTrailingBlankLinesAndUnusedGarbage() throws Exception {
        Path file = mergesFile("crlf.txt", "#v\r\na b</w>\r\nc d</w>\r\nnot a merge line\n");
        assertThat(ClipTokenizer.fromBpeFile(file, 2).encode("ab cd")).containsExactly(512, 513);
        Path blank = mergesFile("blank.txt", "#v\na b\n\n\n");
        assertThat(ClipTokenizer.fromBpeFile(blank, 1).numMerges()).isEqualTo(1);
    }

    @Test
    void missingFileIsReportedAsMissing() {
        Path missing = tmp.resolve("nope.txt.gz");
        assertThatThrownBy(() -> ClipTokenizer.fromBpeFile(missing, 10))
                .isInstanceOf(ModelException.class)
                .hasMessage("BPE merges file not found: " + missing)
                .extracting(e -> ((ModelException) e).reason())
                .isEqualTo(Reason.BUNDLE_FILE_MISSING);
    }

    @Test
    void malformedFilesAreReportedAsCorrupt() throws Exception {
        Path threeParts = mergesFile("three.txt", "#v\na b\nc d e\n");
        assertCorrupt(
                threeParts,
                2,
                "BPE merges file "
                        + threeParts
                        + ", line 3: expected two symbols separated by a space, found 'c d e'");
        Path gap = mergesFile("gap.txt", "#v\na b\n\nc d\n");
        assertCorrupt(
                gap,
                3,
                "BPE merges file "
                        + gap
                        + ", line 3: expected two symbols separated by a space, found ''");
        Path short_ = mergesFile("short.txt", "#v\na b\nc d\n\n");
        assertCorrupt(
                short_,
                5,
                "BPE merges file "
                        + short_
                        + ": expected at least 5 merge lines after the header, found 2");
        Path empty = mergesFile("empty.txt", "");
        assertCorrupt(
                empty,
                0,
                "BPE merges file " + empty + ": expected a header line, found an empty file");
        Path notUtf8 = tmp.resolve("latin1.txt");
        Files.write(notUtf8, new byte[] {'#', '\n', 'a', ' ', (byte) 0xff, '\n'});
        assertCorrupt(
                notUtf8,
                1,
                "BPE merges file " + notUtf8 + ": expected UTF-8 text, found invalid bytes");
    }

    @Test
    void aFileThatIsNotGzipIsReportedAsCorrupt() throws Exception {
        Path plain = mergesFile("plain.txt.gz", "#v\na b\n");
        assertThatThrownBy(() -> ClipTokenizer.fromBpeFile(plain, 1))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("BPE merges file " + plain + ": cannot read it as gzip")
                .extracting(e -> ((ModelException) e).reason())
                .isEqualTo(Reason.BUNDLE_CORRUPT);
        Path truncated = tmp.resolve("truncated.txt.gz");
        byte[] packed = gzip("#v\n" + "a b\n".repeat(1000));
        Files.write(truncated, Arrays.copyOf(packed, packed.length / 2));
        assertThatThrownBy(() -> ClipTokenizer.fromBpeFile(truncated, 1000))
                .isInstanceOf(ModelException.class)
                .hasMessageStartingWith("BPE merges file " + truncated + ": cannot read it as gzip")
                .extracting(e -> ((ModelException) e).reason())
                .isEqualTo(Reason.BUNDLE_CORRUPT);
    }

    private static void assertCorrupt(Path file, int numMerges, String message) {
        assertThatThrownBy(() -> ClipTokenizer.fromBpeFile(file, numMerges))
                .isInstanceOf(ModelException.class)
                .hasMessage(message)
                .extracting(e -> ((ModelException) e).reason())
                .isEqualTo(Reason.BUNDLE_CORRUPT);
    }

    private static byte[] gzip(String text) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
