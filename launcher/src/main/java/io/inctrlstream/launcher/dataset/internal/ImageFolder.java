package io.inctrlstream.launcher.dataset.internal;

import io.inctrlstream.launcher.internal.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The image files and sub-folders of a dataset folder. */
public final class ImageFolder {
    private static final int LISTED = 12;

    private ImageFolder() {}

    /** The folder's .png, .jpg and .jpeg files (hidden files skipped), sorted by name. */
    public static List<Path> images(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile)
                    .filter(file -> ImageFiles.encodingOf(file) != null)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** The folder's sub-folders (hidden ones skipped), sorted by name. */
    public static List<Path> folders(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory)
                    .filter(dir -> !dir.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** What the folder holds, for error messages: "a/, b/, notes.txt" (at most 12 entries). */
    public static String describe(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            List<String> names =
                    entries.sorted()
                            .map(
                                    entry ->
                                            entry.getFileName()
                                                    + (Files.isDirectory(entry) ? "/" : ""))
                            .toList();
            if (names.isEmpty()) {
                return "nothing (it is empty)";
            }
            String shown = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
            return names.size() > LISTED
                    ? shown + " and " + (names.size() - LISTED) + " more"
                    : shown;
        }
    }
}
