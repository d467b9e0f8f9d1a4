package io.inctrlstream.launcher.dataset;

import io.inctrlstream.launcher.dataset.internal.DefectMask;
import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.GeneratedImage;
import io.inctrlstream.launcher.images.ImageBytes;
import io.inctrlstream.launcher.images.Product;
import io.inctrlstream.launcher.images.ProductImageGenerator;
import io.inctrlstream.launcher.images.internal.SeedMixer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Writes a synthetic anomaly-detection dataset in the {@link DatasetLayout#MVTEC_AD} layout, drawn
 * by the demo's camera generator ({@link ProductImageGenerator}), with ground-truth masks (the
 * pixels where a defect's render differs from the same sample's good render).
 *
 * <p>A category is a product family ({@link Product#category()}: {@code metal_nut}, {@code label},
 * {@code pcb}), optionally followed by {@code -<variant>}: each variant is another design of the
 * family (its own layout, colours and parts), so that a model can be trained on some families and
 * evaluated on held-out ones. Everything follows from the seed: the same settings write the same
 * files, byte for byte.
 */
public final class SyntheticDatasetWriter {
    /** The categories written by default: one design of each family. */
    public static final List<String> DEFAULT_CATEGORIES =
            Arrays.stream(Product.values()).map(Product::category).toList();

    private static final long TEST_GOOD_SAMPLES = 1_000_000L;
    private static final long DEFECT_SAMPLES = 2_000_000L;

    private final Path out;
    private final List<String> categories;
    private final int trainGood;
    private final int testGood;
    private final int defectsPerType;
    private final long seed;
    private final int size;

    private SyntheticDatasetWriter(Builder builder) {
        this.out = builder.out;
        this.categories = List.copyOf(builder.categories);
        this.trainGood = builder.trainGood;
        this.testGood = builder.testGood;
        this.defectsPerType = builder.defectsPerType;
        this.seed = builder.seed;
        this.size = builder.size;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The category names, in order. */
    public List<String> categories() {
        return categories;
    }

    /** The number of images each category gets (masks not counted). */
    public int imagesPerCategory() {
        return trainGood + testGood + defectsPerType * Defect.anomalies().size();
    }

    /** The folder name of a defect type: {@code scratch}, {@code missing_part}, ... */
    public static String folderOf(Defect defect) {
        return defect.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The family of a category name.
     *
     * @throws IllegalArgumentException if the name is no family, optionally with a variant number
     */
    public static Product familyOf(String category) {
        String family = DatasetCategory.textCategoryOf(category);
        for (Product product : Product.values()) {
            if (product.category().equals(family) && variantOf(category) >= 0) {
                return product;
            }
        }
        throw new IllegalArgumentException(
                "unknown synthetic category '"
                        + category
                        + "': expected a product family ("
                        + String.join(", ", DEFAULT_CATEGORIES)
                        + "), optionally followed by -<variant number> (1..9999), e.g. pcb-2");
    }

    /** 0 for a family's name alone, N for {@code <family>-N} (N in 1..9999), -1 otherwise. */
    private static int variantOf(String category) {
        if (category.equals(DatasetCategory.textCategoryOf(category))) {
            return 0;
        }
        String digits = category.substring(category.lastIndexOf('-') + 1);
        if (digits.length() > 4 || digits.startsWith("0")) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    /** The generator of a category's pictures. */
    ProductImageGenerator generator(String category) {
        Product family = familyOf(category);
        return ProductImageGenerator.builder()
                .product(family)
                .size(size)
                .seed(SeedMixer.mix(seed, family.ordinal(), variantOf(category)))
                .build();
    }

    /**
     * Writes every category, decoding-free and in parallel on all cores; reports each image written
     * to {@code progress}.
     *
     * @throws IllegalArgumentException if a category's folder exists already
     */
    public void write(Runnable progress) throws IOException {
        Objects.requireNonNull(progress, "progress");
        for (String category : categories) {
            Path folder = out.resolve(category);
            if (Files.exists(folder)) {
                throw new IllegalArgumentException(
                        folder + " exists already: give a new or empty --out folder");
            }
        }
        List<Runnable> tasks = new ArrayList<>();
        for (String category : categories) {
            ProductImageGenerator generator = generator(category);
            Path folder = out.resolve(category);
            for (int i = 0; i < trainGood; i++) {
                long sample = i;
                Path file = folder.resolve("train/good").resolve(name(i, ".png"));
                tasks.add(() -> writeGood(generator, sample, file));
            }
            for (int i = 0; i < testGood; i++) {
                long sample = TEST_GOOD_SAMPLES + i;
                Path file = folder.resolve("test/good").resolve(name(i, ".png"));
                tasks.add(() -> writeGood(generator, sample, file));
            }
            for (Defect defect : Defect.anomalies()) {
                for (int i = 0; i < defectsPerType; i++) {
                    long sample = DEFECT_SAMPLES * (defect.ordinal()) + i;
                    Path file = folder.resolve("test").resolve(folderOf(defect));
                    Path mask = folder.resolve("ground_truth").resolve(folderOf(defect));
                    String index = name(i, "");
                    tasks.add(
                            () ->
                                    writeDefect(
                                            generator,
                                            sample,
                                            defect,
                                            file.resolve(index + ".png"),
                                            mask.resolve(index + "_mask.png")));
                }
            }
        }
        run(tasks, progress);
    }

    private static String name(int index, String suffix) {
        return String.format(Locale.ROOT, "%03d%s", index, suffix);
    }

    private static void writeGood(ProductImageGenerator generator, long sample, Path file) {
        write(file, ImageBytes.png(generator.generate(sample, Defect.NONE).image()));
    }

    private static void writeDefect(
            ProductImageGenerator generator, long sample, Defect defect, Path file, Path mask) {
        GeneratedImage defective = generator.generate(sample, defect);
        GeneratedImage good = generator.generate(sample, Defect.NONE);
        write(file, ImageBytes.png(defective.image()));
        write(mask, ImageBytes.png(DefectMask.of(defective.image(), good.image())));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void run(List<Runnable> tasks, Runnable progress) throws IOException {
        ExecutorService pool =
                Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<?>> futures = new ArrayList<>(tasks.size());
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<?> future : futures) {
                future.get();
                progress.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the dataset", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException("writing the dataset failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Builds a {@link SyntheticDatasetWriter}; validated in {@link #build()}. */
    public static final class Builder {
        private Path out;
        private List<String> categories = DEFAULT_CATEGORIES;
        private int trainGood = 16;
        private int testGood = 8;
        private int defectsPerType = 4;
        private long seed = 1;
        private int size = 256;

        private Builder() {}

        /** The dataset's folder (created when missing). */
        public Builder out(Path out) {
            this.out = out;
            return this;
        }

        /** The categories (default {@link #DEFAULT_CATEGORIES}). */
        public Builder categories(List<String> categories) {
            this.categories = List.copyOf(categories);
            return this;
        }

        /** Good images per category in train/good/ (default 16). */
        public Builder trainGood(int trainGood) {
            this.trainGood = trainGood;
            return this;
        }

        /** Good images per category in test/good/ (default 8). */
        public Builder testGood(int testGood) {
            this.testGood = testGood;
            return this;
        }

        /** Test images per category and defect type (default 4, four types). */
        public Builder defectsPerType(int defectsPerType) {
            this.defectsPerType = defectsPerType;
            return this;
        }

        /** The seed everything follows from (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Width and height of the images (default 256, as the demo's cameras). */
        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a setting is out of range or a category unknown or
         *     repeated
         */
        public SyntheticDatasetWriter build() {
            Objects.requireNonNull(out, "out");
            if (categories.isEmpty()) {
                throw new IllegalArgumentException("expected at least one category, found none");
            }
            categories.forEach(SyntheticDatasetWriter::familyOf);
            if (new LinkedHashSet<>(categories).size() != categories.size()) {
                throw new IllegalArgumentException(
                        "categories must not repeat, found "
                                + categories.stream().collect(Collectors.joining(",")));
            }
            requireRange("good", trainGood, 1, 100_000);
            requireRange("test good", testGood, 1, 100_000);
            requireRange("defects", defectsPerType, 1, 100_000);
            requireRange("size", size, 64, 2048);
            return new SyntheticDatasetWriter(this);
        }

        private static void requireRange(String what, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        what + " must be in " + min + ".." + max + ", found " + value);
            }
        }
    }
}
