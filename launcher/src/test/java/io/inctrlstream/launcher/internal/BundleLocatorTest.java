package io.inctrlstream.launcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.model.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BundleLocatorTest {

    @Test
    void findsTheTinyBundleAndGoldenImagesInTheCheckout() throws Exception {
        Path root = BundleLocator.repositoryRoot().orElseThrow();

        assertThat(BundleLocator.tinyBundle()).isEqualTo(root.resolve(BundleLocator.TINY_BUNDLE));
        assertThat(BundleLocator.goldenImages()).contains(root.resolve(BundleLocator.TINY_GOLDEN));
        assertThat(ModelBundle.load(BundleLocator.tinyBundle()).modelId())
                .isEqualTo("inctrl-tiny@1");
    }

    @Test
    void thePackagedBundleExtractsToAVerifiedBundle() throws Exception {
        Path extracted = BundleLocator.extractPackagedBundle();

        // load() checks every file's size and SHA-256 against the manifest.
        ModelBundle bundle = ModelBundle.load(extracted);
        assertThat(bundle.modelId())
                .isEqualTo(ModelBundle.load(BundleLocator.tinyBundle()).modelId());
        try (var files = Files.list(extracted)) {
            assertThat(files.count())
                    .isEqualTo(bundle.manifest().files().size() + 1); // + manifest.json
        }
    }
}
