package io.inctrlstream.model.text.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits cleaned text with CLIP's pattern: the two special tokens, English contractions, runs of
 * letters, single digits, runs of other non-space characters (white space is dropped).
 *
 * <p>Matches Python's {@code regex} module with IGNORECASE on every character that Java's Unicode
 * tables know: U+0345 (a combining mark whose case folding is a letter) matches no branch in
 * Python, so it is excluded from the last branch here too and dropped like white space. Characters
 * assigned after the JDK's Unicode version (Unicode 13 for Java 17) are not letters or digits to
 * Java and may split differently from Python.
 */
public final class PreTokenizer {
    private static final Pattern SPLIT =
            Pattern.compile(
                    "<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]"
                            + "|[^"
                            + TextCleaner.WHITE_SPACE_CLASS
                            + "\\p{L}\\p{N}\\u0345]+",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private PreTokenizer() {}

    /** The pieces of already cleaned text, in order. */
    public static List<String> split(String cleaned) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = SPLIT.matcher(cleaned);
        while (matcher.find()) {
            pieces.add(matcher.group());
        }
        return pieces;
    }
}
