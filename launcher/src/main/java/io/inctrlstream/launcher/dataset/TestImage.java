package io.inctrlstream.launcher.dataset;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One labelled image of a category's test split.
 *
 * @param file the image file
 * @param anomalous whether it shows a defect
 * @param defectType the defect type ({@code good} for a good image)
 * @param mask the defect's ground-truth mask, when the dataset has one
 */
public record TestImage(Path file, boolean anomalous, String defectType, Optional<Path> mask) {
    /** The defect type of good images. */
    public static final String GOOD = "good";

    public TestImage {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(defectType, "defectType");
        Objects.requireNonNull(mask, "mask");
    }
}
