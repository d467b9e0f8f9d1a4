package io.inctrlstream.launcher.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One category of an anomaly-detection dataset: the good images the normal shots are drawn from,
 * and the labelled test images. A shot drawn from {@code shotPool} that is also a test image (the
 * {@link DatasetLayout#GOOD_AND_DEFECT} layout) is left out of that run's test images.
 *
 * @param name the category's name in the dataset (its folder, or VisA's {@code object})
 * @param textCategory the product category given to the model's text prior: the name, except that a
 *     name ending in {@code -<digits>} (a variant, such as {@code pcb-2}) gives the name before it
 * @param shotPool the good images shots are drawn from, sorted
 * @param test the test images, sorted by file
 */
public record DatasetCategory(
        String name, String textCategory, List<Path> shotPool, List<TestImage> test) {
    public DatasetCategory {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(textCategory, "textCategory");
        shotPool = List.copyOf(shotPool);
        test = List.copyOf(test);
    }

    /** The text prior's category of a dataset category's name. */
    public static String textCategoryOf(String name) {
        return name.matches(".+-[0-9]+") ? name.substring(0, name.lastIndexOf('-')) : name;
    }

    /** The number of good test images. */
    public long goodTestImages() {
        return test.stream().filter(image -> !image.anomalous()).count();
    }

    /** The number of anomalous test images. */
    public long anomalousTestImages() {
        return test.stream().filter(TestImage::anomalous).count();
    }
}
