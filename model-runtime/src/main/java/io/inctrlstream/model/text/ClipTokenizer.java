package io.inctrlstream.model.text;

import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.text.internal.BpeMergesReader;
import io.inctrlstream.model.text.internal.BpeMergesReader.Merge;
import io.inctrlstream.model.text.internal.ByteSymbols;
import io.inctrlstream.model.text.internal.PreTokenizer;
import io.inctrlstream.model.text.internal.TextCleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE tokenizer, giving the same ids as the exporter's Python tokenizer ({@code
 * inctrl_export.tokenizer}) and, for plain text, as the reference's open_clip tokenizer.
 *
 * <p>Steps: clean the text (HTML-unescape twice, collapse white space, lower-case), split it with
 * CLIP's pattern, map each UTF-8 byte to a printable symbol, merge symbols by merge rank (the last
 * symbol of a piece carries {@code </w>}), and look the symbols up in the vocabulary: 256 byte
 * symbols, the same with {@code </w>}, one entry per merge, then the start and end tokens.
 *
 * <p>Known differences from the reference: it runs {@code ftfy.fix_text} first (mojibake, curly
 * quotes, ligatures, full-width forms, NFC), which neither the exporter nor this class does; and
 * characters newer than the JDK's Unicode tables (Unicode 13 for Java 17) can split or lower-case
 * differently. Category names and prompts are plain text, where neither matters.
 *
 * <p>Immutable and thread-safe; results of BPE per piece are cached up to a fixed size.
 */
public final class ClipTokenizer {
    /** The reference's spelling of the special tokens; text containing them gets their ids. */
    static final String SOT_TEXT = "<start_of_text>";

    static final String EOT_TEXT = "<end_of_text>";

    private static final String END_OF_WORD = "</w>";
    private static final int CACHE_LIMIT = 50_000;

    private final Map<String, Integer> ids;
    private final Map<String, Integer> ranks;
    private final int vocabSize;
    private final int numMerges;
    private final int sotToken;
    private final int eotToken;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private ClipTokenizer(List<Merge> merges) {
        List<String> vocabulary = new ArrayList<>(512 + merges.size() + 2);
        char[] byteSymbols = ByteSymbols.vocabularyOrder();
        for (char symbol : byteSymbols) {
            vocabulary.add(String.valueOf(symbol));
        }
        for (char symbol : byteSymbols) {
            vocabulary.add(symbol + END_OF_WORD);
        }
        Map<String, Integer> rankOfPair = new HashMap<>(merges.size() * 2);
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge merge = merges.get(rank);
            vocabulary.add(merge.first() + merge.second());
            rankOfPair.put(pairKey(merge.first(), merge.second()), rank);
        }
        vocabulary.add(SOT_TEXT);
        vocabulary.add(EOT_TEXT);
        Map<String, Integer> idOfSymbol = new HashMap<>(vocabulary.size() * 2);
        for (int id = 0; id < vocabulary.size(); id++) {
            idOfSymbol.put(vocabulary.get(id), id); // a later duplicate wins, as in Python
        }
        this.ids = Map.copyOf(idOfSymbol);
        this.ranks = Map.copyOf(rankOfPair);
        this.vocabSize = vocabulary.size();
        this.numMerges = merges.size();
        this.sotToken = idOfSymbol.get(SOT_TEXT);
        this.eotToken = idOfSymbol.get(EOT_TEXT);
    }

    /**
     * A tokenizer over the first {@code numMerges} merges of a CLIP merges file ({@code .gz} means
     * gzip); the bundle manifest's {@code text.bpe_merges} says how many.
     *
     * @throws ModelException BUNDLE_FILE_MISSING if the file does not exist, BUNDLE_CORRUPT if it
     *     is not a readable merges file with at least {@code numMerges} well-formed merge lines
     * @throws IllegalArgumentException if {@code numMerges} is negative
     */
    public static ClipTokenizer fromBpeFile(Path bpeFile, int numMerges) throws ModelException {
        Objects.requireNonNull(bpeFile, "bpeFile");
        return new ClipTokenizer(BpeMergesReader.read(bpeFile, numMerges));
    }

    /** Number of vocabulary entries; the largest id (the end token) is one less. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Number of merges in use. */
    public int numMerges() {
        return numMerges;
    }

    /** Id of the start-of-text token. */
    public int sotToken() {
        return sotToken;
    }

    /** Id of the end-of-text token (the largest id). */
    public int eotToken() {
        return eotToken;
    }

    /** Token ids of {@code text}, without start and end tokens. */
    public int[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        int[] out = new int[16];
        int size = 0;
        for (String piece : PreTokenizer.split(TextCleaner.clean(text))) {
            int[] pieceIds = bpe(ByteSymbols.encode(piece));
            if (size + pieceIds.length > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + pieceIds.length));
            }
            System.arraycopy(pieceIds, 0, out, size, pieceIds.length);
            size += pieceIds.length;
        }
        return Arrays.copyOf(out, size);
    }

    /**
     * One row of {@code contextLength} ids per text: start token, tokens, end token, zeros. A text
     * too long keeps its first {@code contextLength - 2} tokens and still ends with the end token
     * (open_clip's truncation).
     */
    public long[][] tokenize(List<String> texts, int contextLength) {
        if (texts == null) {
            throw new IllegalArgumentException("texts must not be null");
        }
        if (contextLength < 2) {
            throw new IllegalArgumentException(
                    "context length must be >= 2 (start and end token), got " + contextLength);
        }
        long[][] rows = new long[texts.size()][contextLength];
        for (int row = 0; row < rows.length; row++) {
            int[] tokens = encode(texts.get(row));
            long[] out = rows[row];
            out[0] = sotToken;
            int kept = Math.min(tokens.length, contextLength - 2);
            for (int i = 0; i < kept; i++) {
                out[i + 1] = tokens[i];
            }
            out[kept + 1] = eotToken;
        }
        return rows;
    }

    private int[] bpe(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        int[] result = computeBpe(piece);
        if (cache.size() < CACHE_LIMIT) {
            cache.putIfAbsent(piece, result);
        }
        return result;
    }

    private int[] computeBpe(String piece) {
        if (piece.equals(SOT_TEXT)) {
            return new int[] {sotToken};
        }
        if (piece.equals(EOT_TEXT)) {
            return new int[] {eotToken};
        }
        // byte symbols are all in the BMP, so one char is one symbol
        List<String> symbols = new ArrayList<>(piece.length());
        for (int i = 0; i < piece.length() - 1; i++) {
            symbols.add(String.valueOf(piece.charAt(i)));
        }
        symbols.add(piece.charAt(piece.length() - 1) + END_OF_WORD);
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestAt = -1;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = ranks.get(pairKey(symbols.get(i), symbols.get(i + 1)));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    bestAt = i;
                }
            }
            if (bestAt < 0) {
                break;
            }
            symbols = mergeAll(symbols, symbols.get(bestAt), symbols.get(bestAt + 1));
        }
        int[] result = new int[symbols.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = ids.get(symbols.get(i));
        }
        return result;
    }

    /** Replaces every non-overlapping occurrence of (first, second), left to right. */
    private static List<String> mergeAll(List<String> symbols, String first, String second) {
        List<String> merged = new ArrayList<>(symbols.size());
        int i = 0;
        while (i < symbols.size()) {
            if (i + 1 < symbols.size()
                    && symbols.get(i).equals(first)
                    && symbols.get(i + 1).equals(second)) {
                merged.add(first + second);
                i += 2;
            } else {
                merged.add(symbols.get(i));
                i++;
            }
        }
        return merged;
    }

    /** Symbols never contain a space (byte symbols are printable), so this key is unambiguous. */
    private static String pairKey(String first, String second) {
        return first + ' ' + second;
    }
}
