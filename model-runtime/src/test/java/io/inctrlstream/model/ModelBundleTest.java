package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inctrlstream.model.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the tiny bundle, and each way a copy of it can be broken. */
class ModelBundleTest {
    @TempDir Path copy;

    @Test
    void loadsTheTinyBundle() throws ModelException {
        ModelBundle bundle = TinyBundle.load();

        assertThat(bundle.modelId()).isEqualTo("inctrl-tiny@1");
        assertThat(bundle.manifest().model().variant()).isEqualTo("tiny");
        assertThat(bundle.directory()).isEqualTo(TinyBundle.DIRECTORY.toAbsolutePath().normalize());
        assertThat(bundle.file(ModelBundle.ROLE_SCORER))
                .isEqualTo(bundle.directory().resolve("scorer.onnx"));
        assertThat(bundle.file(ModelBundle.ROLE_BPE))
                .isEqualTo(bundle.directory().resolve(bundle.manifest().text().bpeFile()));
        assertThat(bundle.hasFile(ModelBundle.ROLE_TEXT_PROTOTYPES)).isTrue();
        assertThat(bundle.precomputedPrototypes().keySet())
                .containsExactlyElementsOf(
                        bundle.manifest().prototypes().orElseThrow().categories());
        assertThat(bundle.precomputedPrototypes().values())
                .allSatisfy(
                        p ->
                                assertThat(p.embedDim())
                                        .isEqualTo(bundle.manifest().vision().embedDim()));
    }

    @Test
    void unknownRoleIsAnArgumentError() throws ModelException {
        ModelBundle bundle = TinyBundle.load();

        assertThatThrownBy(() -> bundle.file("weights"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unknown bundle file role 'weights'; roles: [image_encoder, scorer,"
                                + " text_encoder, bpe, text_prototypes]");
    }

    @Test
    void missingDirectoryOrManifest() throws IOException {
        Path absent = copy.resolve("absent");
        assertFails(
                absent,
                ModelException.Reason.BUNDLE_FILE_MISSING,
                "model bundle directory " + absent + " does not exist");

        TinyBundle.copyTo(copy);
        Files.delete(copy.resolve("manifest.json"));
        assertFails(
                copy,
                ModelException.Reason.BUNDLE_FILE_MISSING,
                "manifest.json is missing in " + copy);
    }

    @Test
    void missingFileIsNamed() throws IOException {
        TinyBundle.copyTo(copy);
        Files.delete(copy.resolve("scorer.onnx"));

        assertFails(
                copy,
                ModelException.Reason.BUNDLE_FILE_MISSING,
                "scorer.onnx: listed in manifest.json but missing from " + copy);
    }

    @Test
    void changedByteFailsTheHashWithExpectedAndFound() throws IOException {
        TinyBundle.copyTo(copy);
        Path encoder = copy.resolve("image_encoder.onnx");
        String expected = Sha256.ofFile(encoder);
        byte[] bytes = Files.readAllBytes(encoder);
        bytes[bytes.length / 2] ^= 1;
        Files.write(encoder, bytes);

        assertFails(
                copy,
                ModelException.Reason.BUNDLE_CORRUPT,
                "image_encoder.onnx: expected sha256 "
                        + expected
                        + " found "
                        + Sha256.ofFile(encoder));
    }

    @Test
    void otherSizeIsCorrupt() throws IOException {
        TinyBundle.copyTo(copy);
        Path prototypes = copy.resolve("text_prototypes.json");
        long size = Files.size(prototypes);
        Files.writeString(prototypes, " ", StandardOpenOption.APPEND);

        assertFails(
                copy,
                ModelException.Reason.BUNDLE_CORRUPT,
                "text_prototypes.json: expected size " + size + " bytes, found " + (size + 1));
    }

    @Test
    void otherFormatVersionIsUnsupported() throws IOException {
        TinyBundle.copyTo(copy);
        ObjectNode manifest = readManifest(copy);
        manifest.put("format_version", 2);
        writeManifest(copy, manifest);

        assertFails(
                copy,
                ModelException.Reason.BUNDLE_UNSUPPORTED_VERSION,
                "manifest.json: format_version 2 is not supported by this runtime (supported: 1)");
    }

    @Test
    void prototypesOfOtherDimensionAreAMismatch() throws IOException {
        TinyBundle.copyTo(copy);
        Path prototypes = copy.resolve("text_prototypes.json");
        ObjectNode json = (ObjectNode) ManifestJson.MAPPER.readTree(prototypes.toFile());
        json.put("embed_dim", 7);
        ManifestJson.MAPPER.writeValue(prototypes.toFile(), json);
        rehash(copy, "text_prototypes.json");

        assertFails(
                copy,
                ModelException.Reason.BUNDLE_MISMATCH,
                "text_prototypes.json: key 'embed_dim' must equal the manifest's vision.embed_dim "
                        + readManifest(copy).get("vision").get("embed_dim").asInt()
                        + ", found 7");
    }

    static ObjectNode readManifest(Path bundle) throws IOException {
        return (ObjectNode) ManifestJson.MAPPER.readTree(bundle.resolve("manifest.json").toFile());
    }

    static void writeManifest(Path bundle, ObjectNode manifest) throws IOException {
        ManifestJson.MAPPER.writeValue(bundle.resolve("manifest.json").toFile(), manifest);
    }

    /** Updates the manifest's size and sha256 of a file that a test changed on purpose. */
    static void rehash(Path bundle, String file) throws IOException {
        ObjectNode manifest = readManifest(bundle);
        for (var entry : manifest.get("files")) {
            if (entry.get("path").asText().equals(file)) {
                ((ObjectNode) entry).put("size", Files.size(bundle.resolve(file)));
                ((ObjectNode) entry).put("sha256", Sha256.ofFile(bundle.resolve(file)));
            }
        }
        writeManifest(bundle, manifest);
    }

    private static void assertFails(Path dir, ModelException.Reason reason, String message) {
        assertThatThrownBy(() -> ModelBundle.load(dir))
                .isInstanceOfSatisfying(
                        ModelException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessage(message);
    }
}
