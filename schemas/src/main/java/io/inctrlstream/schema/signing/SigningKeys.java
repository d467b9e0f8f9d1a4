package io.inctrlstream.schema.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a keys file: one {@code keyId=base64secret} per line; blank lines and lines starting with
 * {@code #} are ignored, blanks around the id and the secret too. At least one key; each id once.
 * Messages name the file and the line, never a secret.
 */
public final class SigningKeys {
    private SigningKeys() {}

    /**
     * The keys of {@code file}, by id, in file order.
     *
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is malformed: "FILE line N: expected ..., found ..."
     */
    public static Map<String, SigningKey> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The keys of these lines; {@code source} names them in messages. */
    static Map<String, SigningKey> parse(List<String> lines, String source) {
        Map<String, SigningKey> keys = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(
                        where + "expected keyId=base64secret, found no '='");
            }
            String keyId = line.substring(0, equals).strip();
            try {
                SigningKey.checkKeyId(keyId);
            } catch (IllegalArgumentException e) {
                // Not quoted: a line missing its '=' has the secret's padding there instead.
                throw new IllegalArgumentException(
                        where
                                + "expected keyId=base64secret with a key id of 1 to 64 letters,"
                                + " digits, '.', '_' or '-', found "
                                + keyId.length()
                                + " characters before the first '=' that are not one (not shown:"
                                + " they may hold a secret)");
            }
            SigningKey key;
            try {
                key = SigningKey.fromBase64(keyId, line.substring(equals + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            Integer first = lineOf.putIfAbsent(keyId, i + 1);
            if (first != null) {
                throw new IllegalArgumentException(
                        where
                                + "key \""
                                + keyId
                                + "\" is defined again (first on line "
                                + first
                                + ")");
            }
            keys.put(keyId, key);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": expected at least one keyId=base64secret line, found none");
        }
        return keys;
    }
}
