package io.inctrlstream.model;

import io.inctrlstream.model.BundleManifest.FileEntry;
import io.inctrlstream.model.internal.GraphContract;
import io.inctrlstream.model.internal.ManifestParser;
import io.inctrlstream.model.internal.Sha256;
import io.inctrlstream.model.internal.TextPrototypesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A verified model bundle on disk (docs/model-bundle.md): its manifest, and the assurance that
 * every file the manifest lists is present with the listed size and sha256. Loading reads every
 * file once to hash it; the graphs themselves are opened by {@link InctrlEngine#open}.
 */
public final class ModelBundle {
    /** Role of the image encoder graph, for {@link #file(String)}. */
    public static final String ROLE_IMAGE_ENCODER = GraphContract.IMAGE_ENCODER;

    /** Role of the scorer graph. */
    public static final String ROLE_SCORER = GraphContract.SCORER;

    /** Role of the text encoder graph. */
    public static final String ROLE_TEXT_ENCODER = GraphContract.TEXT_ENCODER;

    /** Role of the CLIP BPE merges file. */
    public static final String ROLE_BPE = "bpe";

    /** Role of the precomputed text prototypes (optional in a bundle). */
    public static final String ROLE_TEXT_PROTOTYPES = "text_prototypes";

    private static final List<String> ROLES =
            List.of(
                    ROLE_IMAGE_ENCODER,
                    ROLE_SCORER,
                    ROLE_TEXT_ENCODER,
                    ROLE_BPE,
                    ROLE_TEXT_PROTOTYPES);

    private final Path directory;
    private final BundleManifest manifest;
    private final Map<String, Path> filesByRole;
    private final Map<String, TextPrototypes> precomputedPrototypes;

    private ModelBundle(
            Path directory,
            BundleManifest manifest,
            Map<String, Path> filesByRole,
            Map<String, TextPrototypes> precomputedPrototypes) {
        this.directory = directory;
        this.manifest = manifest;
        this.filesByRole = Collections.unmodifiableMap(filesByRole);
        this.precomputedPrototypes = Collections.unmodifiableMap(precomputedPrototypes);
    }

    /**
     * Loads and verifies the bundle in {@code dir}.
     *
     * @throws ModelException BUNDLE_FILE_MISSING naming a missing file, BUNDLE_CORRUPT naming a
     *     file of the wrong size or sha256 (expected and found), BUNDLE_UNSUPPORTED_VERSION,
     *     BUNDLE_MISMATCH naming a manifest key that is missing or not sane
     */
    public static ModelBundle load(Path dir) throws ModelException {
        Objects.requireNonNull(dir, "dir");
        Path directory = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_FILE_MISSING,
                    "model bundle directory " + directory + " does not exist");
        }
        Path manifestFile = directory.resolve(ManifestParser.MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_FILE_MISSING,
                    ManifestParser.MANIFEST_FILE + " is missing in " + directory);
        }
        byte[] json;
        try {
            json = Files.readAllBytes(manifestFile);
        } catch (IOException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT,
                    ManifestParser.MANIFEST_FILE + " in " + directory + " is not readable: " + e,
                    e);
        }
        BundleManifest manifest = BundleManifest.parse(json);
        for (FileEntry entry : manifest.files()) {
            verify(directory, entry);
        }
        Map<String, Path> filesByRole = new LinkedHashMap<>();
        for (String graph : GraphContract.GRAPH_NAMES) {
            filesByRole.put(graph, directory.resolve(manifest.graph(graph).file()));
        }
        filesByRole.put(ROLE_BPE, directory.resolve(manifest.text().bpeFile()));
        Map<String, TextPrototypes> prototypes = Map.of();
        Optional<BundleManifest.Prototypes> section = manifest.prototypes();
        if (section.isPresent()) {
            Path file = directory.resolve(section.get().file());
            filesByRole.put(ROLE_TEXT_PROTOTYPES, file);
            prototypes =
                    TextPrototypesFile.read(
                            file, manifest.vision().embedDim(), section.get().categories());
        }
        return new ModelBundle(directory, manifest, filesByRole, prototypes);
    }

    private static void verify(Path directory, FileEntry entry) throws ModelException {
        Path file = directory.resolve(entry.path());
        if (!Files.isRegularFile(file)) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_FILE_MISSING,
                    entry.path()
                            + ": listed in "
                            + ManifestParser.MANIFEST_FILE
                            + " but missing from "
                            + directory);
        }
        try {
            long size = Files.size(file);
            if (size != entry.size()) {
                throw new ModelException(
                        ModelException.Reason.BUNDLE_CORRUPT,
                        entry.path() + ": expected size " + entry.size() + " bytes, found " + size);
            }
            String sha256 = Sha256.ofFile(file);
            if (!sha256.equals(entry.sha256())) {
                throw new ModelException(
                        ModelException.Reason.BUNDLE_CORRUPT,
                        entry.path() + ": expected sha256 " + entry.sha256() + " found " + sha256);
            }
        } catch (IOException e) {
            throw new ModelException(
                    ModelException.Reason.BUNDLE_CORRUPT, entry.path() + ": not readable: " + e, e);
        }
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The bundle's directory, absolute. */
    public Path directory() {
        return directory;
    }

    /** The model id, {@code name@version}. */
    public String modelId() {
        return manifest.modelId();
    }

    /**
     * The file of a role: {@link #ROLE_IMAGE_ENCODER}, {@link #ROLE_SCORER}, {@link
     * #ROLE_TEXT_ENCODER}, {@link #ROLE_BPE} or {@link #ROLE_TEXT_PROTOTYPES}.
     *
     * @throws IllegalArgumentException for an unknown role, or one this bundle has no file for
     */
    public Path file(String role) {
        Path file = filesByRole.get(role);
        if (file == null) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException(
                        "unknown bundle file role '" + role + "'; roles: " + ROLES);
            }
            throw new IllegalArgumentException(
                    "bundle " + modelId() + " has no file for role '" + role + "'");
        }
        return file;
    }

    /** Whether the bundle has a file for this role (only text prototypes are optional). */
    public boolean hasFile(String role) {
        return filesByRole.containsKey(role);
    }

    /** The precomputed text prototypes by category (empty if the bundle has none). */
    public Map<String, TextPrototypes> precomputedPrototypes() {
        return precomputedPrototypes;
    }

    @Override
    public String toString() {
        return "ModelBundle[" + modelId() + " at " + directory + "]";
    }
}
