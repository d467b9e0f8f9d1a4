package io.inctrlstream.model.text.internal;

import java.util.regex.Pattern;

/**
 * CLIP's text cleaning as the Python exporter does it: HTML-unescape twice, strip, collapse each
 * run of white space to one space, strip again, lower-case (Python's rules).
 *
 * <p>The reference also runs {@code ftfy.fix_text} first; neither side does (see {@code
 * ClipTokenizer}). The white-space sets copy Python's exactly: {@code str.strip} removes {@code
 * str.isspace} characters (which include U+001C..U+001F), while the collapsing pattern uses the
 * {@code regex} module's {@code \s} (Unicode White_Space, without U+001C..U+001F).
 */
public final class TextCleaner {
    /** The characters of the {@code regex} module's {@code \s}, as a character-class body. */
    public static final String WHITE_SPACE_CLASS =
            "\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

    private static final Pattern WHITE_SPACE_RUN = Pattern.compile("[" + WHITE_SPACE_CLASS + "]+");

    private TextCleaner() {}

    /** The cleaned, lower-cased text that the split pattern is applied to. */
    public static String clean(String text) {
        String unescaped = HtmlUnescaper.unescape(HtmlUnescaper.unescape(text));
        String collapsed = WHITE_SPACE_RUN.matcher(pythonStrip(unescaped)).replaceAll(" ");
        return PythonLowerCase.lower(pythonStrip(collapsed));
    }

    /** Python's {@code str.strip()}: removes leading and trailing {@code str.isspace} chars. */
    static String pythonStrip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPythonSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Python's {@code str.isspace()} for one character (all such characters are in the BMP). */
    static boolean isPythonSpace(char c) {
        return (c >= 0x09 && c <= 0x0d)
                || (c >= 0x1c && c <= 0x20)
                || c == 0x85
                || c == 0xa0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202f
                || c == 0x205f
                || c == 0x3000;
    }
}
