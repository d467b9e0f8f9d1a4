package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.eval.Evaluation;
import io.inctrlstream.launcher.eval.ThresholdSuggestion;
import io.inctrlstream.launcher.eval.internal.FeatureEncoder;
import io.inctrlstream.launcher.internal.OfflineScorer;
import io.inctrlstream.model.ImageFeatures;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.schema.SetThreshold;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inctrl threshold set}: a line's anomaly threshold; {@code inctrl threshold suggest}: one
 * from images, offline.
 */
@Command(
        name = "threshold",
        description = "Set a line's anomaly threshold (control command), or suggest one (offline).",
        mixinStandardHelpOptions = true,
        subcommands = {ThresholdCommand.Set.class, ThresholdCommand.Suggest.class})
public final class ThresholdCommand extends ParentCommand {

    @Command(
            name = "suggest",
            description = {
                "Suggests a threshold from images, offline (no Kafka):",
                "- from the shots alone: each shot scored against the bank of the others"
                        + " (leave-one-out, 2 shots or more);",
                "- with --good validation images: their scores against all the shots;",
                "- with --good and --defect: the threshold of the best F1.",
                "Without --far the threshold sits just above the good scores, by their spread"
                        + " (as the demo calibrates its lines); with --far it is the lowest that"
                        + " flags at most that share of the good images."
            },
            mixinStandardHelpOptions = true)
    static final class Suggest implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ModelOptions model;

        @Option(
                names = "--shots",
                required = true,
                split = ",",
                paramLabel = "FILE|FOLDER",
                description = "The line's normal shot images or folders.")
        List<Path> shots = new ArrayList<>();

        @Option(
                names = "--category",
                paramLabel = "NAME",
                defaultValue = "object",
                description = "Product category for the text prior (default: ${DEFAULT-VALUE}).")
        String category;

        @Option(
                names = "--good",
                split = ",",
                paramLabel = "FILE|FOLDER",
                description = "Good validation images or folders.")
        List<Path> good = new ArrayList<>();

        @Option(
                names = "--defect",
                split = ",",
                paramLabel = "FILE|FOLDER",
                description = "Defective validation images or folders (with --good).")
        List<Path> defect = new ArrayList<>();

        @Option(
                names = "--far",
                paramLabel = "RATE",
                description = "Target false-alarm rate on the good images, in [0, 1).")
        Double far;

        @Override
        public Integer call() throws Exception {
            if (!defect.isEmpty() && good.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--defect needs --good validation images too (or give neither, to"
                                + " suggest from the shots alone)");
            }
            if (far != null && !(far >= 0 && far < 1)) {
                throw new ParameterException(
                        spec.commandLine(), "--far must be in [0, 1), found " + far);
            }
            List<Path> shotFiles = ImageArguments.files(spec, shots);
            List<Path> goodFiles = good.isEmpty() ? List.of() : ImageArguments.files(spec, good);
            List<Path> defectFiles =
                    defect.isEmpty() ? List.of() : ImageArguments.files(spec, defect);
            if (goodFiles.isEmpty() && shotFiles.size() < 2) {
                throw new ParameterException(
                        spec.commandLine(),
                        "suggesting from the shots alone needs at least 2 shots (each is scored"
                                + " against the others), found 1: give more shots or --good"
                                + " validation images");
            }
            OptionalDouble target = far == null ? OptionalDouble.empty() : OptionalDouble.of(far);
            PrintWriter out = spec.commandLine().getOut();
            try (OfflineScorer scorer = OfflineScorer.open(model.bundle(), model.device());
                    FeatureEncoder encoder = new FeatureEncoder(scorer)) {
                List<ImageFeatures> shotFeatures = features(encoder, shotFiles);
                double[] goodScores;
                double[] defectScores = new double[0];
                String source;
                if (goodFiles.isEmpty()) {
                    goodScores = Evaluation.leaveOneOutScores(scorer, shotFeatures, category);
                    source =
                            String.format(
                                    Locale.ROOT,
                                    "%d shots, each scored against the other %d",
                                    shotFiles.size(),
                                    shotFiles.size() - 1);
                } else {
                    ShotBank bank = scorer.bankOfFeatures(shotFeatures, category);
                    goodScores = finalScores(scorer, bank, features(encoder, goodFiles));
                    if (!defectFiles.isEmpty()) {
                        defectScores = finalScores(scorer, bank, features(encoder, defectFiles));
                    }
                    source =
                            String.format(
                                    Locale.ROOT,
                                    "validation images against the bank of %d shot%s",
                                    shotFiles.size(),
                                    shotFiles.size() == 1 ? "" : "s");
                }
                ThresholdSuggestion.Suggestion suggestion =
                        ThresholdSuggestion.suggest(goodScores, defectScores, target);
                out.printf(
                        Locale.ROOT,
                        "suggested threshold %.4f (%s; %s, model %s, category %s)%n",
                        suggestion.threshold(),
                        suggestion.rule(),
                        source,
                        scorer.modelId(),
                        category);
                out.println(rates(suggestion.threshold(), goodScores, defectScores));
                out.printf(
                        Locale.ROOT,
                        "set it with: inctrl threshold set --line <line> %.4f%n",
                        suggestion.threshold());
            }
            out.flush();
            return ExitCodes.OK;
        }

        private static List<ImageFeatures> features(FeatureEncoder encoder, List<Path> files)
                throws IOException, ModelException {
            Map<Path, ImageFeatures> byFile = encoder.encode(files, done -> {});
            return files.stream().map(byFile::get).toList();
        }

        private static double[] finalScores(
                OfflineScorer scorer, ShotBank bank, List<ImageFeatures> images)
                throws ModelException {
            return scorer.scoreFeatures(bank, images).stream()
                    .mapToDouble(result -> result.finalScore())
                    .toArray();
        }

        private static String rates(double threshold, double[] good, double[] defect) {
            long falseAlarms = Arrays.stream(good).filter(s -> s >= threshold).count();
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "on these images: false alarms %d/%d (%.1f%%)",
                                    falseAlarms,
                                    good.length,
                                    100.0 * falseAlarms / good.length));
            if (defect.length > 0) {
                long misses = Arrays.stream(defect).filter(s -> s < threshold).count();
                line.append(
                        String.format(
                                Locale.ROOT,
                                ", misses %d/%d (%.1f%%)",
                                misses,
                                defect.length,
                                100.0 * misses / defect.length));
            }
            return line.toString();
        }
    }

    @Command(
            name = "set",
            description = "A frame is anomalous when its final score is at least VALUE.",
            mixinStandardHelpOptions = true)
    static final class Set implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ControlOptions control;

        @Parameters(paramLabel = "VALUE", description = "The threshold, in [0, 1].")
        double value;

        @Override
        public Integer call() throws Exception {
            control.line();
            if (!(value >= 0 && value <= 1)) {
                throw new ParameterException(
                        spec.commandLine(), "VALUE must be in [0, 1], found " + value);
            }
            return control.send(SetThreshold.newBuilder().setThreshold(value).build());
        }
    }
}
