package io.inctrlstream.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/**
 * Where the committed tiny bundle and its golden vectors are (relative to the module, where Maven
 * runs tests), and copies of the bundle that tests may break.
 */
final class TinyBundle {
    static final Path DIRECTORY =
            Paths.get(System.getProperty("inctrl.tinyBundle", "bundles/inctrl-tiny"));
    static final Path GOLDEN_DIRECTORY =
            Paths.get(System.getProperty("inctrl.tinyGolden", "src/test/resources/golden/tiny"));

    private TinyBundle() {}

    static ModelBundle load() throws ModelException {
        return ModelBundle.load(DIRECTORY);
    }

    /** A copy of the tiny bundle's files in {@code target} (which must exist). */
    static Path copyTo(Path target) {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
