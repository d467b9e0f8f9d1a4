package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.dataset.AnomalyDataset;
import io.inctrlstream.launcher.dataset.DatasetReader;
import io.inctrlstream.launcher.eval.Evaluation;
import io.inctrlstream.launcher.eval.EvaluationReport;
import io.inctrlstream.launcher.eval.EvaluationSettings;
import io.inctrlstream.launcher.eval.internal.CurveCharts;
import io.inctrlstream.launcher.eval.internal.ProgressBar;
import io.inctrlstream.launcher.eval.internal.ResultsJson;
import io.inctrlstream.launcher.eval.internal.ResultsTable;
import io.inctrlstream.launcher.internal.OfflineScorer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inctrl eval}: the paper's few-shot protocol on a dataset. */
@Command(
        name = "eval",
        description = {
            "Evaluates the model on a dataset in the paper's protocol: for each category and K,"
                    + " R runs each drawing K normal shots from the good training images with"
                    + " its own seed and scoring every test image; image-level AUROC and AUPRC,"
                    + " mean and std over the runs, per category and averaged, for InCTRL's final"
                    + " score, each component alone (holistic, s_p, s_i, s_a) and the patch-kNN"
                    + " baseline. Also the threshold suggested from the shots alone"
                    + " (leave-one-out, K >= 2) with its false-alarm and miss rates on the test"
                    + " images.",
            "Layouts: MVTec AD (<category>/train/good, <category>/test/<good|defect>), a VisA"
                    + " split CSV (object,split,label,image,mask; split_csv/1cls.csv), or good/"
                    + " and defect/ folders."
        },
        mixinStandardHelpOptions = true)
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "DIR",
            description = "The dataset folder (or a VisA split CSV).")
    Path dataset;

    @Option(
            names = "--categories",
            split = ",",
            paramLabel = "NAME",
            description = "Only these categories (default: all).")
    List<String> categories = new ArrayList<>();

    @Option(
            names = "--shots",
            split = ",",
            paramLabel = "K",
            description = "Shot counts (default: 1,2,4).")
    List<Integer> shots = new ArrayList<>(List.of(1, 2, 4));

    @Option(
            names = "--runs",
            paramLabel = "R",
            defaultValue = "5",
            description = "Runs per category and K (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "The seed the shots are drawn from (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--baseline",
            paramLabel = "NAME",
            defaultValue = "patch-knn",
            description = "patch-knn, or none (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(
            names = "--far",
            paramLabel = "RATE",
            description =
                    "Target false-alarm rate of the suggested thresholds, in [0, 1) (default:"
                            + " just above the shots' leave-one-out scores).")
    Double far;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write the results as JSON (one object per method, category and K).")
    Path json;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            description =
                    "Write report.md (the tables) and the ROC and precision-recall curves (PNG,"
                            + " first run of each category and K) here.")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (!baseline.equals("patch-knn") && !baseline.equals("none")) {
            throw new ParameterException(
                    spec.commandLine(), "--baseline must be patch-knn or none, found " + baseline);
        }
        EvaluationSettings settings;
        AnomalyDataset data;
        try {
            EvaluationSettings.Builder builder =
                    EvaluationSettings.builder()
                            .shots(shots)
                            .runs(runs)
                            .seed(seed)
                            .patchKnn(baseline.equals("patch-knn"));
            if (far != null) {
                builder.falseAlarmTarget(far);
            }
            settings = builder.build();
            data = DatasetReader.read(dataset);
            if (!categories.isEmpty()) {
                data = data.select(categories);
            }
            Evaluation.check(data, settings);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Path bundle = model.bundle();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EvaluationReport result;
        try (OfflineScorer scorer = OfflineScorer.open(bundle, model.device())) {
            err.printf(
                    "eval: %s on %s, %d categor%s, K = %s, %d run%s%n",
                    scorer.modelId(),
                    scorer.device(),
                    data.categories().size(),
                    data.categories().size() == 1 ? "y" : "ies",
                    settings.shots(),
                    settings.runs(),
                    settings.runs() == 1 ? "" : "s");
            ProgressBar progress =
                    new ProgressBar(err, "eval", Terminal.isInteractive(), System::nanoTime);
            try {
                result = Evaluation.run(scorer, data, settings, progress);
            } finally {
                progress.finish();
            }
        }
        String markdown = ResultsTable.markdown(result);
        out.print(markdown);
        String timing =
                String.format(
                        Locale.ROOT,
                        "%nEncoded %d images in %.1f s (%.1f ms per image, decoding on %d cores);"
                                + " the whole evaluation took %.1f s.%n",
                        result.encodedImages(),
                        result.encodeSeconds(),
                        1000 * result.encodeSeconds() / Math.max(1, result.encodedImages()),
                        Runtime.getRuntime().availableProcessors(),
                        result.totalSeconds());
        out.print(timing);
        if (json != null) {
            ResultsJson.write(result, json);
            out.println("JSON written to " + json.toAbsolutePath());
        }
        if (report != null) {
            Files.createDirectories(report);
            Files.writeString(
                    report.resolve("report.md"), markdown + timing, StandardCharsets.UTF_8);
            List<Path> charts = CurveCharts.write(result.firstRuns(), settings.methods(), report);
            out.printf(
                    "report.md and %d curve charts written to %s%n",
                    charts.size(), report.toAbsolutePath());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
