package io.inctrlstream.launcher.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations the way people type them: {@code 500ms}, {@code 40s}, {@code 2m}. */
public final class Durations {
    private static final Pattern SIMPLE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|sec|m|min|h)?", Pattern.CASE_INSENSITIVE);

    private Durations() {}

    /**
     * Parses {@code 250ms}, {@code 40s}, {@code 1.5m}, {@code 2h}, a plain number of seconds, or
     * ISO-8601 ({@code PT40S}).
     *
     * @throws IllegalArgumentException if it is none of these
     */
    public static Duration parse(String text) {
        String value = text.trim();
        if (value.toUpperCase(Locale.ROOT).startsWith("PT")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw invalid(text);
            }
        }
        Matcher m = SIMPLE.matcher(value);
        if (!m.matches()) {
            throw invalid(text);
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        double millis =
                switch (unit) {
                    case "ms" -> amount;
                    case "s", "sec" -> amount * 1_000;
                    case "m", "min" -> amount * 60_000;
                    default -> amount * 3_600_000;
                };
        return Duration.ofMillis(Math.round(millis));
    }

    /** A short human form: {@code 750 ms}, {@code 40 s}, {@code 2 min 5 s}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return millis % 1_000 == 0
                    ? millis / 1_000 + " s"
                    : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1_000;
        return seconds % 60 == 0
                ? seconds / 60 + " min"
                : seconds / 60 + " min " + seconds % 60 + " s";
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "expected a duration such as 500ms, 40s, 2m or PT40S, found \"" + text + "\"");
    }
}
