package io.inctrlstream.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Finds the committed tiny model bundle and the golden images: in the source tree (from the {@code
 * inctrl.home} system property that bin/inctrl sets, or upwards from the working directory), or
 * else packaged in the launcher jar, from which the bundle is extracted to a temporary folder.
 */
public final class BundleLocator {
    /** The tiny bundle's folder, relative to the repository root. */
    public static final String TINY_BUNDLE = "model-runtime/bundles/inctrl-tiny";

    /** The golden images of the tiny bundle, relative to the repository root. */
    public static final String TINY_GOLDEN = "model-runtime/src/test/resources/golden/tiny";

    /** Where the launcher jar carries the tiny bundle. */
    static final String PACKAGED_BUNDLE = "/inctrl/bundles/inctrl-tiny/";

    private BundleLocator() {}

    /** The repository root, if this runs from a checkout. */
    public static Optional<Path> repositoryRoot() {
        String home = System.getProperty("inctrl.home");
        if (home != null && Files.isDirectory(Path.of(home).resolve(TINY_BUNDLE))) {
            return Optional.of(Path.of(home).toAbsolutePath().normalize());
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve(TINY_BUNDLE).resolve("manifest.json"))) {
                return Optional.of(dir);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** The golden images folder, if this runs from a checkout that has it. */
    public static Optional<Path> goldenImages() {
        return repositoryRoot().map(root -> root.resolve(TINY_GOLDEN)).filter(Files::isDirectory);
    }

    /**
     * The tiny bundle: the checkout's, or the packaged one extracted to a temporary folder (deleted
     * when the JVM exits).
     *
     * @throws IllegalStateException if neither is there
     */
    public static Path tinyBundle() {
        Optional<Path> root = repositoryRoot();
        if (root.isPresent()) {
            return root.get().resolve(TINY_BUNDLE);
        }
        try {
            return extractPackagedBundle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the packaged tiny bundle", e);
        }
    }

    static Path extractPackagedBundle() throws IOException {
        byte[] manifest;
        try (InputStream in = resource("manifest.json")) {
            manifest = in.readAllBytes();
        }
        Path dir = Files.createTempDirectory("inctrl-tiny-bundle");
        dir.toFile().deleteOnExit();
        Path manifestFile = dir.resolve("manifest.json");
        Files.write(manifestFile, manifest);
        manifestFile.toFile().deleteOnExit();
        JsonNode files = new ObjectMapper().readTree(manifest).path("files");
        for (JsonNode file : files) {
            String name = file.path("path").asText();
            if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
                throw new IllegalStateException(
                        "expected plain file names in the packaged bundle's manifest, found \""
                                + name
                                + "\"");
            }
            Path target = dir.resolve(name);
            try (InputStream in = resource(name)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            target.toFile().deleteOnExit();
        }
        return dir;
    }

    private static InputStream resource(String name) {
        InputStream in = BundleLocator.class.getResourceAsStream(PACKAGED_BUNDLE + name);
        if (in == null) {
            throw new IllegalStateException(
                    "the tiny model bundle is neither in a source checkout ("
                            + TINY_BUNDLE
                            + ") nor packaged in this jar ("
                            + PACKAGED_BUNDLE
                            + name
                            + " missing): pass --model DIR");
        }
        return in;
    }
}
