package io.inctrlstream.schema;

import java.util.Optional;

/**
 * What a production line id may be: 1 to {@value #MAX_LENGTH} ASCII letters, digits, {@code .},
 * {@code _} or {@code -}, starting with a letter or digit ({@value #PATTERN}). The job refuses
 * frames and commands of any other line id as dead letters, so that garbage ids cannot grow its
 * keyed state and per-line metrics; the launcher refuses them up front. Ids are case-sensitive.
 */
public final class LineIds {
    /** Most characters of a line id. */
    public static final int MAX_LENGTH = 64;

    /** The rule as a regular expression. */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private static final String EXPECTED =
            "expected 1 to "
                    + MAX_LENGTH
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit ("
                    + PATTERN
                    + ")";

    private LineIds() {}

    /** Whether {@code lineId} is a valid line id. */
    public static boolean isValid(String lineId) {
        if (lineId == null || lineId.isEmpty() || lineId.length() > MAX_LENGTH) {
            return false;
        }
        if (!letterOrDigit(lineId.charAt(0))) {
            return false;
        }
        for (int i = 1; i < lineId.length(); i++) {
            char c = lineId.charAt(i);
            if (!letterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code lineId} is not a valid line id ("expected ..., found ..." with the id escaped and
     * cut by {@link ProducerText#quote}), or empty when it is.
     */
    public static Optional<String> problem(String lineId) {
        if (isValid(lineId)) {
            return Optional.empty();
        }
        return Optional.of(EXPECTED + ", found " + ProducerText.quote(lineId));
    }

    private static boolean letterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
