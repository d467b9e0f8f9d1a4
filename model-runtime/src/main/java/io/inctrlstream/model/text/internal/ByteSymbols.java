package io.inctrlstream.model.text.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * CLIP's byte-to-character table: each UTF-8 byte of a text becomes one printable character, so
 * that BPE works on strings without white space or control characters. Printable Latin-1 bytes
 * ({@code !}..{@code ~}, {@code ¡}..{@code ¬}, {@code ®}..{@code ÿ}) stand for themselves; the
 * other 68 bytes get U+0100.. in byte order.
 */
public final class ByteSymbols {
    private static final char[] SYMBOL_OF_BYTE = new char[256];

    static {
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable =
                    (b >= 0x21 && b <= 0x7e)
                            || (b >= 0xa1 && b <= 0xac)
                            || (b >= 0xae && b <= 0xff);
            SYMBOL_OF_BYTE[b] = printable ? (char) b : (char) (256 + shifted++);
        }
    }

    private ByteSymbols() {}

    /**
     * The 256 symbols in vocabulary order, which is character order: the printable bytes first,
     * then U+0100.. for the others.
     */
    public static char[] vocabularyOrder() {
        char[] sorted = SYMBOL_OF_BYTE.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /** {@code piece} as UTF-8 bytes, each replaced by its symbol. */
    public static String encode(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        char[] symbols = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = SYMBOL_OF_BYTE[bytes[i] & 0xff];
        }
        return new String(symbols);
    }
}
