package io.inctrlstream.model.text.internal;

import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ModelException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the first merges of a CLIP merges file: a header line (ignored), then one merge per line,
 * two symbols separated by a space; a file name ending in {@code .gz} means gzip. Only the lines
 * needed are read (CLIP's own file holds far more merges than CLIP uses).
 */
public final class BpeMergesReader {
    /** One merge: two adjacent symbols that become one. */
    public record Merge(String first, String second) {}

    private BpeMergesReader() {}

    /**
     * The first {@code count} merges of {@code file}.
     *
     * @throws ModelException BUNDLE_FILE_MISSING if there is no such file, BUNDLE_CORRUPT if it
     *     cannot be read (not gzip, not UTF-8) or has fewer or malformed merge lines
     */
    public static List<Merge> read(Path file, int count) throws ModelException {
        if (count < 0) {
            throw new IllegalArgumentException("number of merges must be >= 0, got " + count);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelException(
                    Reason.BUNDLE_FILE_MISSING, "BPE merges file not found: " + file);
        }
        List<Merge> merges = new ArrayList<>(count);
        try (Reader reader = open(file)) {
            if (readLine(reader) == null) {
                throw new ModelException(
                        Reason.BUNDLE_CORRUPT,
                        "BPE merges file "
                                + file
                                + ": expected a header line, found an empty file");
            }
            for (int index = 0; index < count; index++) {
                String line = readLine(reader);
                if (line == null || (line.isEmpty() && restIsEmpty(reader))) {
                    throw new ModelException(
                            Reason.BUNDLE_CORRUPT,
                            "BPE merges file "
                                    + file
                                    + ": expected at least "
                                    + count
                                    + " merge lines after the header, found "
                                    + index);
                }
                merges.add(parse(file, index + 2, line));
            }
        } catch (NoSuchFileException e) {
            throw new ModelException(
                    Reason.BUNDLE_FILE_MISSING, "BPE merges file not found: " + file, e);
        } catch (CharacterCodingException e) {
            throw new ModelException(
                    Reason.BUNDLE_CORRUPT,
                    "BPE merges file " + file + ": expected UTF-8 text, found invalid bytes",
                    e);
        } catch (IOException e) {
            throw new ModelException(
                    Reason.BUNDLE_CORRUPT,
                    "BPE merges file "
                            + file
                            + ": cannot read it"
                            + (isGzip(file) ? " as gzip" : "")
                            + " ("
                            + e
                            + ")",
                    e);
        }
        return List.copyOf(merges);
    }

    private static Merge parse(Path file, int lineNumber, String line) throws ModelException {
        String[] parts = splitOnWhiteSpace(line);
        if (parts.length != 2) {
            throw new ModelException(
                    Reason.BUNDLE_CORRUPT,
                    "BPE merges file "
                            + file
                            + ", line "
                            + lineNumber
                            + ": expected two symbols separated by a space, found '"
                            + line
                            + "'");
        }
        return new Merge(parts[0], parts[1]);
    }

    /** Python's {@code str.split()}: runs of white space separate, none at either end. */
    private static String[] splitOnWhiteSpace(String line) {
        List<String> parts = new ArrayList<>(2);
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && TextCleaner.isPythonSpace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < line.length() && !TextCleaner.isPythonSpace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                parts.add(line.substring(start, i));
            }
        }
        return parts.toArray(new String[0]);
    }

    private static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    private static Reader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (isGzip(file)) {
                in = new GZIPInputStream(in, 1 << 16);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new BufferedReader(
                new InputStreamReader(
                        in,
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)),
                1 << 16);
    }

    /** The next line without its '\n' (nor any '\r' before it), or null at the end. */
    private static String readLine(Reader reader) throws IOException {
        StringBuilder line = new StringBuilder(16);
        int c = reader.read();
        if (c < 0) {
            return null;
        }
        while (c >= 0 && c != '\n') {
            line.append((char) c);
            c = reader.read();
        }
        int length = line.length();
        while (length > 0 && line.charAt(length - 1) == '\r') {
            length--;
        }
        line.setLength(length);
        return line.toString();
    }

    private static boolean restIsEmpty(Reader reader) throws IOException {
        for (int c = reader.read(); c >= 0; c = reader.read()) {
            if (c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
