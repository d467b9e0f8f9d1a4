package io.inctrlstream.launcher.dataset.internal;

import io.inctrlstream.launcher.dataset.AnomalyDataset;
import io.inctrlstream.launcher.dataset.DatasetCategory;
import io.inctrlstream.launcher.dataset.DatasetLayout;
import io.inctrlstream.launcher.dataset.TestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a VisA split CSV ({@code object,split,label,image,mask}, paths relative to the dataset's
 * root: the CSV's folder, or the folder above it when that is {@code split_csv/}).
 */
public final class VisaSplitReader {
    static final String SPLIT_FOLDER = "split_csv";
    static final String ONE_CLASS_SPLIT = "1cls.csv";
    private static final List<String> COLUMNS =
            List.of("object", "split", "label", "image", "mask");

    private VisaSplitReader() {}

    /**
     * The split file of a dataset folder: {@code split_csv/1cls.csv}, or the only CSV in {@code
     * split_csv/}, or the only CSV in the folder itself; empty when there is none.
     *
     * @throws IllegalArgumentException if {@code split_csv/} holds several CSVs and no 1cls.csv
     */
    public static Optional<Path> splitFile(Path root) throws IOException {
        Path folder = root.resolve(SPLIT_FOLDER);
        if (Files.isDirectory(folder)) {
            if (Files.isRegularFile(folder.resolve(ONE_CLASS_SPLIT))) {
                return Optional.of(folder.resolve(ONE_CLASS_SPLIT));
            }
            List<Path> csvs = csvs(folder);
            if (csvs.size() == 1) {
                return Optional.of(csvs.get(0));
            }
            throw new IllegalArgumentException(
                    "dataset "
                            + root
                            + ": "
                            + SPLIT_FOLDER
                            + "/ has no "
                            + ONE_CLASS_SPLIT
                            + " and "
                            + csvs.size()
                            + " other CSV files; give the split file itself as the dataset");
        }
        List<Path> csvs = csvs(root);
        return csvs.size() == 1 ? Optional.of(csvs.get(0)) : Optional.empty();
    }

    private static List<Path> csvs(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".csv"))
                    .sorted()
                    .toList();
        }
    }

    /** The dataset of a split file. */
    public static AnomalyDataset read(Path csv) throws IOException {
        Path parent = csv.getParent();
        Path root =
                parent.getFileName() != null
                                && parent.getFileName().toString().equals(SPLIT_FOLDER)
                                && parent.getParent() != null
                        ? parent.getParent()
                        : parent;
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("split file " + csv + " is empty");
        }
        Map<String, Integer> column = header(csv, lines.get(0));
        Map<String, List<Path>> shotPools = new TreeMap<>();
        Map<String, List<TestImage>> tests = new LinkedHashMap<>();
        for (int row = 1; row < lines.size(); row++) {
            String line = lines.get(row);
            if (line.isBlank()) {
                continue;
            }
            String where = csv + " line " + (row + 1);
            String[] fields = line.split(",", -1);
            if (fields.length < COLUMNS.size()) {
                throw new IllegalArgumentException(
                        where
                                + ": expected "
                                + COLUMNS.size()
                                + " fields ("
                                + String.join(",", COLUMNS)
                                + "), found "
                                + fields.length);
            }
            String object = fields[column.get("object")].trim();
            String split = fields[column.get("split")].trim().toLowerCase(Locale.ROOT);
            String label = fields[column.get("label")].trim().toLowerCase(Locale.ROOT);
            Path image = existing(root, fields[column.get("image")].trim(), where, "image");
            String maskField = fields[column.get("mask")].trim();
            boolean anomalous =
                    switch (label) {
                        case "normal" -> false;
                        case "anomaly" -> true;
                        default ->
                                throw new IllegalArgumentException(
                                        where
                                                + ": label must be normal or anomaly, found "
                                                + label);
                    };
            switch (split) {
                case "train" -> {
                    if (anomalous) {
                        throw new IllegalArgumentException(
                                where + ": a train image labelled anomaly (shots must be normal)");
                    }
                    shotPools.computeIfAbsent(object, o -> new ArrayList<>()).add(image);
                }
                case "test" ->
                        tests.computeIfAbsent(object, o -> new ArrayList<>())
                                .add(
                                        new TestImage(
                                                image,
                                                anomalous,
                                                anomalous ? "anomaly" : TestImage.GOOD,
                                                anomalous && !maskField.isEmpty()
                                                        ? Optional.of(
                                                                existing(
                                                                        root, maskField, where,
                                                                        "mask"))
                                                        : Optional.empty()));
                default ->
                        throw new IllegalArgumentException(
                                where + ": split must be train or test, found " + split);
            }
        }
        List<DatasetCategory> categories = new ArrayList<>();
        for (String object : union(shotPools, tests)) {
            String where = "category " + object + " of " + csv;
            List<Path> pool = shotPools.getOrDefault(object, List.of());
            List<TestImage> test = tests.getOrDefault(object, List.of());
            if (pool.isEmpty()) {
                throw new IllegalArgumentException(
                        where + " has no train images (the good images shots are drawn from)");
            }
            if (test.stream().noneMatch(TestImage::anomalous)
                    || test.stream().allMatch(TestImage::anomalous)) {
                throw new IllegalArgumentException(
                        where
                                + " needs normal and anomaly test images, found "
                                + test.stream().filter(t -> !t.anomalous()).count()
                                + " normal and "
                                + test.stream().filter(TestImage::anomalous).count()
                                + " anomaly");
            }
            categories.add(
                    new DatasetCategory(
                            object,
                            DatasetCategory.textCategoryOf(object),
                            pool.stream().sorted().toList(),
                            MvtecReader.sortedByFile(test)));
        }
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("split file " + csv + " has no images");
        }
        return new AnomalyDataset(root, DatasetLayout.VISA_SPLIT, categories);
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        TreeMap<String, Boolean> names = new TreeMap<>();
        a.keySet().forEach(name -> names.put(name, true));
        b.keySet().forEach(name -> names.put(name, true));
        return List.copyOf(names.keySet());
    }

    private static Map<String, Integer> header(Path csv, String line) {
        List<String> names =
                Arrays.stream(line.split(",", -1))
                        .map(name -> name.trim().toLowerCase(Locale.ROOT))
                        .toList();
        Map<String, Integer> column = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : COLUMNS) {
            int index = names.indexOf(name);
            if (index < 0) {
                missing.add(name);
            }
            column.put(name, index);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "split file "
                            + csv
                            + " has no column "
                            + String.join(", ", missing)
                            + ": expected the header "
                            + String.join(",", COLUMNS)
                            + ", found "
                            + line);
        }
        return column;
    }

    private static Path existing(Path root, String relative, String where, String what) {
        if (relative.isEmpty()) {
            throw new IllegalArgumentException(where + ": the " + what + " path is empty");
        }
        Path file = root.resolve(relative).normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    where + ": " + what + " " + relative + " not found (looked for " + file + ")");
        }
        return file;
    }
}
