package io.inctrlstream.launcher.dataset.internal;

import io.inctrlstream.launcher.dataset.AnomalyDataset;
import io.inctrlstream.launcher.dataset.DatasetCategory;
import io.inctrlstream.launcher.dataset.DatasetLayout;
import io.inctrlstream.launcher.dataset.TestImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads one category from a {@code good/} and a {@code defect/} folder. */
public final class GoodAndDefectReader {
    public static final String GOOD = "good";
    public static final String DEFECT = "defect";

    private GoodAndDefectReader() {}

    /** The one-category dataset in {@code root} (which holds good/ and defect/). */
    public static AnomalyDataset read(Path root) throws IOException {
        String name = root.getFileName() == null ? "images" : root.getFileName().toString();
        List<Path> good = ImageFolder.images(root.resolve(GOOD));
        List<Path> defect = ImageFolder.images(root.resolve(DEFECT));
        if (good.size() < 2) {
            throw new IllegalArgumentException(
                    "dataset "
                            + root
                            + ": good/ has "
                            + good.size()
                            + " images, expected at least 2 (shots are drawn from them, and the"
                            + " rest are the good test images)");
        }
        if (defect.isEmpty()) {
            throw new IllegalArgumentException(
                    "dataset " + root + ": defect/ has no .png, .jpg or .jpeg images");
        }
        List<TestImage> test = new ArrayList<>();
        for (Path file : good) {
            test.add(new TestImage(file, false, TestImage.GOOD, Optional.empty()));
        }
        for (Path file : defect) {
            test.add(new TestImage(file, true, DEFECT, Optional.empty()));
        }
        return new AnomalyDataset(
                root,
                DatasetLayout.GOOD_AND_DEFECT,
                List.of(
                        new DatasetCategory(
                                name,
                                DatasetCategory.textCategoryOf(name),
                                good,
                                MvtecReader.sortedByFile(test))));
    }
}
