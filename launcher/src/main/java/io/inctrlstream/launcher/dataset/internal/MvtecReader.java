package io.inctrlstream.launcher.dataset.internal;

import io.inctrlstream.launcher.dataset.AnomalyDataset;
import io.inctrlstream.launcher.dataset.DatasetCategory;
import io.inctrlstream.launcher.dataset.DatasetLayout;
import io.inctrlstream.launcher.dataset.TestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the MVTec AD layout: a folder of categories, or one category folder. */
public final class MvtecReader {
    static final String TRAIN = "train";
    static final String TEST = "test";
    static final String GROUND_TRUTH = "ground_truth";

    private MvtecReader() {}

    /**
     * The dataset in {@code root}.
     *
     * @param contents what the folder holds, for the error when it is no dataset
     */
    public static AnomalyDataset read(Path root, String contents) throws IOException {
        List<DatasetCategory> categories = new ArrayList<>();
        if (isCategory(root)) {
            categories.add(category(root));
        } else {
            for (Path folder : ImageFolder.folders(root)) {
                if (isCategory(folder)) {
                    categories.add(category(folder));
                }
            }
        }
        if (categories.isEmpty()) {
            throw new IllegalArgumentException(
                    "dataset "
                            + root
                            + " has no categories: expected the MVTec AD layout"
                            + " (<category>/train/good/ and <category>/test/good/,"
                            + " <category>/test/<defect type>/), a VisA split CSV"
                            + " (split_csv/1cls.csv) or good/ and defect/ folders; found "
                            + contents);
        }
        return new AnomalyDataset(root, DatasetLayout.MVTEC_AD, categories);
    }

    private static boolean isCategory(Path folder) {
        return Files.isDirectory(folder.resolve(TRAIN)) || Files.isDirectory(folder.resolve(TEST));
    }

    private static DatasetCategory category(Path folder) throws IOException {
        String name = folder.getFileName().toString();
        String where = "category " + name + " (" + folder + ")";
        Path trainGood = folder.resolve(TRAIN).resolve(TestImage.GOOD);
        if (!Files.isDirectory(trainGood)) {
            throw new IllegalArgumentException(
                    where + " has no train/good/ folder (the good images shots are drawn from)");
        }
        List<Path> shotPool = ImageFolder.images(trainGood);
        if (shotPool.isEmpty()) {
            throw new IllegalArgumentException(
                    where + ": train/good/ has no .png, .jpg or .jpeg images");
        }
        Path test = folder.resolve(TEST);
        if (!Files.isDirectory(test)) {
            throw new IllegalArgumentException(
                    where + " has no test/ folder (expected test/good/ and test/<defect type>/)");
        }
        List<TestImage> images = new ArrayList<>();
        boolean anyDefect = false;
        for (Path defectFolder : ImageFolder.folders(test)) {
            String defectType = defectFolder.getFileName().toString();
            boolean anomalous = !defectType.equals(TestImage.GOOD);
            for (Path image : ImageFolder.images(defectFolder)) {
                images.add(
                        new TestImage(
                                image,
                                anomalous,
                                defectType,
                                anomalous ? mask(folder, defectType, image) : Optional.empty()));
                anyDefect |= anomalous;
            }
        }
        if (images.stream().noneMatch(image -> !image.anomalous())) {
            throw new IllegalArgumentException(
                    where + ": test/good/ is missing or has no images (good test images)");
        }
        if (!anyDefect) {
            throw new IllegalArgumentException(
                    where
                            + ": test/ has no defect images (expected test/<defect type>/ folders"
                            + " besides test/good/); found "
                            + ImageFolder.describe(test));
        }
        return new DatasetCategory(
                name, DatasetCategory.textCategoryOf(name), shotPool, sortedByFile(images));
    }

    private static Optional<Path> mask(Path folder, String defectType, Path image) {
        String file = image.getFileName().toString();
        String stem = file.substring(0, file.lastIndexOf('.'));
        Path mask = folder.resolve(GROUND_TRUTH).resolve(defectType).resolve(stem + "_mask.png");
        return Files.isRegularFile(mask) ? Optional.of(mask) : Optional.empty();
    }

    static List<TestImage> sortedByFile(List<TestImage> images) {
        return images.stream().sorted((a, b) -> a.file().compareTo(b.file())).toList();
    }
}
