package io.inctrlstream.launcher.dataset;

import io.inctrlstream.launcher.dataset.internal.GoodAndDefectReader;
import io.inctrlstream.launcher.dataset.internal.ImageFolder;
import io.inctrlstream.launcher.dataset.internal.MvtecReader;
import io.inctrlstream.launcher.dataset.internal.VisaSplitReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads an anomaly-detection dataset's folder, recognizing its {@link DatasetLayout} from what it
 * holds: a CSV file or a {@code split_csv/} folder is a VisA split, {@code good/} and {@code
 * defect/} folders are a good-and-defect pair, anything else must be the MVTec AD layout (a folder
 * of categories, or one category). Every category must have good images to draw shots from and both
 * good and anomalous test images. Whatever is missing is named in one IllegalArgumentException,
 * before any image is decoded.
 */
public final class DatasetReader {
    private DatasetReader() {}

    /**
     * The dataset at {@code path} (a folder, or a VisA split CSV file).
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public static AnomalyDataset read(Path path) throws IOException {
        Path root = path.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new IllegalArgumentException("dataset " + path + " does not exist");
        }
        if (Files.isRegularFile(root)) {
            if (!root.getFileName().toString().endsWith(".csv")) {
                throw new IllegalArgumentException(
                        "dataset "
                                + path
                                + " is a file but not a VisA split CSV (.csv): give the dataset's"
                                + " folder");
            }
            return VisaSplitReader.read(root);
        }
        Optional<Path> split = VisaSplitReader.splitFile(root);
        if (split.isPresent()) {
            return VisaSplitReader.read(split.get());
        }
        if (Files.isDirectory(root.resolve(GoodAndDefectReader.GOOD))
                && Files.isDirectory(root.resolve(GoodAndDefectReader.DEFECT))) {
            return GoodAndDefectReader.read(root);
        }
        return MvtecReader.read(root, ImageFolder.describe(root));
    }
}
