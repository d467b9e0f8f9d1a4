package io.inctrlstream.launcher.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An anomaly-detection dataset as {@link DatasetReader} read it: its folder, layout and categories
 * (sorted by name).
 */
public record AnomalyDataset(Path root, DatasetLayout layout, List<DatasetCategory> categories) {
    public AnomalyDataset {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(layout, "layout");
        categories = List.copyOf(categories);
    }

    /**
     * The dataset with only the named categories, in the given order.
     *
     * @throws IllegalArgumentException naming the categories the dataset does not have
     */
    public AnomalyDataset select(List<String> names) {
        List<DatasetCategory> selected = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            categories.stream()
                    .filter(category -> category.name().equals(name))
                    .findFirst()
                    .ifPresentOrElse(selected::add, () -> unknown.add(name));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "dataset "
                            + root
                            + " has no categor"
                            + (unknown.size() == 1 ? "y " : "ies ")
                            + String.join(", ", unknown)
                            + "; it has "
                            + String.join(
                                    ", ", categories.stream().map(DatasetCategory::name).toList()));
        }
        return new AnomalyDataset(root, layout, selected);
    }
}
