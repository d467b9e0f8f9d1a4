package io.inctrlstream.launcher.internal.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inctrlstream.launcher.internal.BundleLocator;
import io.inctrlstream.launcher.internal.ImageFiles;
import io.inctrlstream.launcher.internal.OfflineScorer;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.ScoreResult;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.ImageEncoding;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inctrl score}: offline scoring of image files, no Kafka or Flink. */
@Command(
        name = "score",
        description = {
            "Score image files against shot files, offline (no Kafka, no Flink).",
            "Scores images against normal shots with a model bundle,"
                    + " printing every score component: final, hl (holistic), s_p (patch), s_i"
                    + " (image residual), s_a (text prior).",
            "Without images and shots: the tiny bundle's golden images, if this runs from a"
                    + " source checkout."
        },
        mixinStandardHelpOptions = true)
public final class ScoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(
            names = "--shots",
            paramLabel = "FILE|FOLDER",
            split = ",",
            description = "Normal shot images or folders (repeatable, or comma-separated).")
    List<Path> shots = new ArrayList<>();

    @Option(
            names = "--category",
            paramLabel = "NAME",
            description =
                    "Product category for the text prior (default: object, or the golden"
                            + " set's).")
    String category;

    @Option(
            names = "--heatmaps",
            paramLabel = "DIR",
            description = "Write each image's heatmap PNG (patch map over the model's crop) here.")
    Path heatmaps;

    @Option(names = "--json", description = "One JSON object per image instead of a table.")
    boolean json;

    @Parameters(
            arity = "0..*",
            paramLabel = "IMAGE|FOLDER",
            description = "Images to score (.png, .jpg, .jpeg) or folders of them.")
    List<Path> images = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path bundle = model.bundle();
        Device device = model.device();
        List<Path> shotFiles;
        List<Path> imageFiles;
        String categoryName = category;
        if (images.isEmpty() && shots.isEmpty()) {
            Path golden =
                    BundleLocator.goldenImages()
                            .orElseThrow(
                                    () ->
                                            new ParameterException(
                                                    spec.commandLine(),
                                                    "no images given, and no golden images found"
                                                            + " (they are in a source checkout at "
                                                            + BundleLocator.TINY_GOLDEN
                                                            + "): give --shots and images"));
            shotFiles = golden(golden, "shot_");
            imageFiles = golden(golden, "query_");
            if (categoryName == null) {
                categoryName = goldenCategory(golden);
            }
            out.println("golden images of the tiny bundle: " + golden);
        } else if (shots.isEmpty() || images.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    shots.isEmpty()
                            ? "--shots is required when images are given"
                            : "images to score are required when --shots is given");
        } else {
            shotFiles = ImageArguments.files(spec, shots);
            imageFiles = ImageArguments.files(spec, images);
        }
        if (categoryName == null) {
            categoryName = "object";
        }
        try (OfflineScorer scorer = OfflineScorer.open(bundle, device)) {
            ShotBank bank = scorer.bank(decodeAll(scorer, shotFiles), categoryName);
            List<DecodedImage> decoded = decodeAll(scorer, imageFiles);
            List<ScoreResult> results = scorer.score(bank, decoded);
            if (!json) {
                out.printf(
                        "model %s on %s, category %s, %d shot%s%n",
                        scorer.modelId(),
                        scorer.device(),
                        categoryName,
                        shotFiles.size(),
                        shotFiles.size() == 1 ? "" : "s");
                out.println(ScoreTable.header(width(imageFiles)));
            }
            if (heatmaps != null) {
                Files.createDirectories(heatmaps);
            }
            ObjectMapper mapper = new ObjectMapper();
            for (int i = 0; i < results.size(); i++) {
                Path file = imageFiles.get(i);
                ScoreResult result = results.get(i);
                String name = file.getFileName().toString();
                Path heatmap = null;
                if (heatmaps != null) {
                    heatmap = heatmaps.resolve(stem(name) + ".heatmap.png");
                    Files.write(heatmap, scorer.heatmapPng(decoded.get(i), result));
                }
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("image", file.toString());
                    row.put("final", result.finalScore());
                    row.put("hl", result.holisticScore());
                    row.put("s_p", result.patchScore());
                    row.put("s_i", result.imageScore());
                    row.put("s_a", result.textScore());
                    row.put("heatmap", heatmap == null ? null : heatmap.toString());
                    out.println(mapper.writeValueAsString(row));
                } else {
                    out.println(ScoreTable.row(name, width(imageFiles), result));
                }
            }
            if (heatmaps != null && !json) {
                out.println("heatmaps written to " + heatmaps.toAbsolutePath());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static int width(List<Path> files) {
        int width = 5;
        for (Path file : files) {
            width = Math.max(width, file.getFileName().toString().length());
        }
        return width;
    }

    private static List<DecodedImage> decodeAll(OfflineScorer scorer, List<Path> files)
            throws Exception {
        List<DecodedImage> decoded = new ArrayList<>(files.size());
        for (Path file : files) {
            ImageEncoding encoding = ImageEncoding.valueOf(ImageFiles.encodingOf(file).name());
            try {
                decoded.add(scorer.decode(encoding, Files.readAllBytes(file)));
            } catch (io.inctrlstream.model.ModelException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        return decoded;
    }

    private static List<Path> golden(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found =
                    files.filter(f -> f.getFileName().toString().startsWith(prefix))
                            .filter(f -> !f.getFileName().toString().contains(".crop."))
                            .filter(f -> ImageFiles.encodingOf(f) != null)
                            .sorted()
                            .toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no " + prefix + "* images in " + dir);
            }
            return found;
        }
    }

    private static String goldenCategory(Path dir) throws IOException {
        Path golden = dir.resolve("golden.json");
        if (!Files.isRegularFile(golden)) {
            return null;
        }
        String value = new ObjectMapper().readTree(golden.toFile()).path("category").asText("");
        return value.isEmpty() ? null : value;
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The score table's text. */
    static final class ScoreTable {
        private ScoreTable() {}

        static String header(int width) {
            return String.format(
                    Locale.ROOT,
                    "%-" + width + "s  %7s  %7s  %7s  %7s  %7s",
                    "IMAGE",
                    "FINAL",
                    "HL",
                    "S_P",
                    "S_I",
                    "S_A");
        }

        static String row(String name, int width, ScoreResult r) {
            return String.format(
                    Locale.ROOT,
                    "%-" + width + "s  %7.4f  %7.4f  %7.4f  %7.4f  %7.4f",
                    name,
                    r.finalScore(),
                    r.holisticScore(),
                    r.patchScore(),
                    r.imageScore(),
                    r.textScore());
        }
    }
}
