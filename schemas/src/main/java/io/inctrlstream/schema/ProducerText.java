package io.inctrlstream.schema;

/**
 * A producer-given string (a line, frame or command id, a topic name, a header) made safe to put in
 * an error message: quoted, with control, invisible and unassigned characters, backslashes and
 * quotes escaped ({@code \n}, {@code \u0000}, ...), and cut after {@link #MAX_CHARS} characters
 * with the full length named. Never throws, whatever the string holds.
 */
public final class ProducerText {
    /** Most characters of the value shown before it is cut. */
    public static final int MAX_CHARS = 120;

    private ProducerText() {}

    /** {@code value} quoted and escaped, e.g. {@code "bad id\n"}; {@code null} as the word null. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 2);
        quoted.append('"');
        int end = value.length() > MAX_CHARS ? cut(value) : value.length();
        for (int i = 0; i < end; ) {
            int codePoint = value.codePointAt(i);
            appendEscaped(quoted, codePoint);
            i += Character.charCount(codePoint);
        }
        if (end < value.length()) {
            quoted.append("...\" (").append(value.length()).append(" chars)");
        } else {
            quoted.append('"');
        }
        return quoted.toString();
    }

    /** Where to cut a long value: after MAX_CHARS chars, not inside a surrogate pair. */
    private static int cut(String value) {
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(value.charAt(end - 1))
                && Character.isLowSurrogate(value.charAt(end))) {
            end--;
        }
        return end;
    }

    private static void appendEscaped(StringBuilder out, int codePoint) {
        switch (codePoint) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (visible(codePoint)) {
                    out.appendCodePoint(codePoint);
                } else if (Character.isBmpCodePoint(codePoint)) {
                    out.append(String.format("\\u%04x", codePoint));
                } else {
                    out.append(String.format("\\U%08x", codePoint));
                }
            }
        }
    }

    private static boolean visible(int codePoint) {
        if (codePoint == ' ') {
            return true;
        }
        switch (Character.getType(codePoint)) {
            case Character.CONTROL,
            Character.FORMAT,
            Character.PRIVATE_USE,
            Character.SURROGATE,
            Character.UNASSIGNED,
            Character.LINE_SEPARATOR,
            Character.PARAGRAPH_SEPARATOR,
            Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }
}
