package io.inctrlstream.model.text.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes HTML character references with the rules of Python's {@code html.unescape} (HTML5): every
 * named reference of the HTML5 list (with or without {@code ;} as the list allows, and the longest
 * known prefix of an unknown name), decimal and hexadecimal references, with the HTML5 replacements
 * for invalid numbers (windows-1252 for 0x80-0x9F, U+FFFD for zero, surrogates and numbers past
 * U+10FFFF, nothing for control characters and non-characters). The exporter's Python tokenizer
 * uses {@code html.unescape} itself, so both sides decode the same way.
 */
public final class HtmlUnescaper {
    private static final Pattern REFERENCE =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");

    /** HTML5's replacements for the numbers 0x80-0x9F (windows-1252), index = number - 0x80. */
    private static final String C1_REPLACEMENTS =
            "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d"
                    + "\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122"
                    + "\u0161\u203a\u0153\u009d\u017e\u0178";

    private HtmlUnescaper() {}

    /** {@code text} with every character reference decoded once. */
    public static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (matcher.find()) {
            out.append(text, copied, matcher.start());
            String reference = matcher.group(1);
            out.append(
                    reference.charAt(0) == '#' ? decodeNumber(reference) : decodeName(reference));
            copied = matcher.end();
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static String decodeNumber(String reference) {
        boolean hex = reference.length() > 1 && (reference.charAt(1) | 0x20) == 'x';
        String digits = reference.substring(hex ? 2 : 1);
        if (digits.endsWith(";")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0') {
            start++;
        }
        digits = digits.substring(start);
        if (digits.length() > 8) {
            return "\ufffd"; // far beyond U+10FFFF
        }
        long number = Long.parseLong(digits, hex ? 16 : 10);
        if (number == 0) {
            return "\ufffd";
        }
        if (number == 0x0d) {
            return "\r";
        }
        if (number >= 0x80 && number <= 0x9f) {
            return String.valueOf(C1_REPLACEMENTS.charAt((int) number - 0x80));
        }
        if ((number >= 0xd800 && number <= 0xdfff) || number > 0x10ffff) {
            return "\ufffd";
        }
        int codePoint = (int) number;
        if (isDroppedCodePoint(codePoint)) {
            return "";
        }
        return new String(Character.toChars(codePoint));
    }

    private static boolean isDroppedCodePoint(int codePoint) {
        return (codePoint >= 0x01 && codePoint <= 0x08)
                || codePoint == 0x0b
                || (codePoint >= 0x0e && codePoint <= 0x1f)
                || codePoint == 0x7f
                || (codePoint >= 0xfdd0 && codePoint <= 0xfdef)
                || (codePoint & 0xfffe) == 0xfffe;
    }

    private static String decodeName(String name) {
        String whole = Html5Entities.lookup(name);
        if (whole != null) {
            return whole;
        }
        // the longest known prefix of at least two characters, the rest kept as it is
        int length = name.codePointCount(0, name.length());
        for (int prefix = length - 1; prefix >= 2; prefix--) {
            int end = name.offsetByCodePoints(0, prefix);
            String value = Html5Entities.lookup(name.substring(0, end));
            if (value != null) {
                return value + name.substring(end);
            }
        }
        return "&" + name;
    }
}
