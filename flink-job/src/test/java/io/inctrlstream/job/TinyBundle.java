package io.inctrlstream.job;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the model runtime's committed tiny bundle is, seen from this module (where Maven runs the
 * tests); {@code -Dinctrl.tinyBundle=...} points elsewhere.
 */
public final class TinyBundle {
    public static final Path DIRECTORY =
            Paths.get(
                    System.getProperty(
                            "inctrl.tinyBundle", "../model-runtime/bundles/inctrl-tiny"));

    private TinyBundle() {}
}
