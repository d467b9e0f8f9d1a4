package io.inctrlstream.model.text.internal;

import java.util.Locale;

/**
 * Python's {@code str.lower()}. Java's {@code toLowerCase(Locale.ROOT)} agrees with it on every
 * character except the capital sigma, where both apply the Final_Sigma rule but Java decides by
 * word boundaries: Python (and Unicode's definition) writes ς when the nearest preceding character
 * that is not case-ignorable is cased and the nearest following one is not.
 */
public final class PythonLowerCase {
    private static final char CAPITAL_SIGMA = '\u03a3';

    private PythonLowerCase() {}

    /** {@code text} lower-cased exactly as Python 3 does (for Unicode known to the JDK). */
    public static String lower(String text) {
        int sigma = text.indexOf(CAPITAL_SIGMA);
        if (sigma < 0) {
            return text.toLowerCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        int segmentStart = 0;
        while (sigma >= 0) {
            out.append(text.substring(segmentStart, sigma).toLowerCase(Locale.ROOT));
            out.append(isFinalSigma(text, sigma) ? '\u03c2' : '\u03c3');
            segmentStart = sigma + 1;
            sigma = text.indexOf(CAPITAL_SIGMA, segmentStart);
        }
        return out.append(text.substring(segmentStart).toLowerCase(Locale.ROOT)).toString();
    }

    private static boolean isFinalSigma(String text, int index) {
        int before = index;
        int previous = -1;
        while (before > 0) {
            previous = text.codePointBefore(before);
            before -= Character.charCount(previous);
            if (!isCaseIgnorable(previous)) {
                break;
            }
            previous = -1;
        }
        if (previous < 0 || !isCased(previous)) {
            return false;
        }
        int after = index + 1;
        while (after < text.length()) {
            int next = text.codePointAt(after);
            if (!isCaseIgnorable(next)) {
                return !isCased(next);
            }
            after += Character.charCount(next);
        }
        return true;
    }

    /** Unicode's Cased property. */
    private static boolean isCased(int c) {
        return Character.isLowerCase(c) || Character.isUpperCase(c) || Character.isTitleCase(c);
    }

    /**
     * Unicode's Case_Ignorable property: marks, format characters, modifier letters and symbols,
     * and the Word_Break MidLetter, MidNumLet and Single_Quote characters.
     */
    private static boolean isCaseIgnorable(int c) {
        switch (Character.getType(c)) {
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.FORMAT:
            case Character.MODIFIER_LETTER:
            case Character.MODIFIER_SYMBOL:
                return true;
            default:
                break;
        }
        switch (c) {
            case 0x27,
            0x2e,
            0x3a,
            0xb7,
            0x387,
            0x55f,
            0x5f4,
            0x2018,
            0x2019,
            0x2024,
            0x2027,
            0xfe13,
            0xfe52,
            0xfe55,
            0xff07,
            0xff0e,
            0xff1a:
                return true;
            default:
                return false;
        }
    }
}
