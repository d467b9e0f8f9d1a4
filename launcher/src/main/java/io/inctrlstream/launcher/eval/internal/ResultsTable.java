package io.inctrlstream.launcher.eval.internal;

import io.inctrlstream.launcher.eval.EvalMethod;
import io.inctrlstream.launcher.eval.EvaluationReport;
import io.inctrlstream.launcher.eval.MethodResult;
import io.inctrlstream.launcher.eval.RunSummary;
import io.inctrlstream.launcher.eval.ThresholdResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The evaluation's Markdown tables: AUROC, AUPRC, and the suggested thresholds. */
public final class ResultsTable {
    private ResultsTable() {}

    /** The report as Markdown: a heading line, the AUROC and AUPRC tables, the thresholds. */
    public static String markdown(EvaluationReport report) {
        StringBuilder text = new StringBuilder();
        text.append(
                String.format(
                        Locale.ROOT,
                        "Model %s on %s; dataset %s (%s); %d run%s per K, seed %d.%n%n",
                        report.modelId(),
                        report.device(),
                        report.dataset(),
                        report.layout(),
                        report.settings().runs(),
                        report.settings().runs() == 1 ? "" : "s",
                        report.settings().seed()));
        text.append("Image-level AUROC, mean ± std over runs:\n\n");
        text.append(metricTable(report, MethodResult::auroc));
        text.append("\nImage-level AUPRC (average precision), mean ± std over runs:\n\n");
        text.append(metricTable(report, MethodResult::auprc));
        if (!report.thresholds().isEmpty()) {
            text.append(
                    "\nThreshold suggested from the shots alone (leave-one-out, "
                            + report.settings().falseAlarmTarget().stream()
                                    .mapToObj(
                                            far ->
                                                    String.format(
                                                            Locale.ROOT,
                                                            "target false-alarm rate %.3f",
                                                            far))
                                    .findFirst()
                                    .orElse("just above the shots' scores")
                            + ") and the rates it gives on the test images, mean ± std over"
                            + " runs:\n\n");
            text.append("| category | K | threshold | false alarms | misses |\n");
            text.append("|---|---:|---:|---:|---:|\n");
            for (ThresholdResult t : report.thresholds()) {
                text.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %d | %s | %s | %s |%n",
                                t.category(),
                                t.shots(),
                                cell(t.threshold()),
                                percent(t.falseAlarmRate()),
                                percent(t.missRate())));
            }
        }
        return text.toString();
    }

    private static String metricTable(
            EvaluationReport report, Function<MethodResult, RunSummary> metric) {
        List<EvalMethod> methods = report.settings().methods();
        StringBuilder table = new StringBuilder("| category | K |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (EvalMethod method : methods) {
            table.append(' ').append(method.id()).append(" |");
            rule.append("---:|");
        }
        table.append('\n').append(rule).append('\n');
        List<String> categories = new ArrayList<>(report.categories());
        if (report.results().stream().anyMatch(r -> r.category().equals(MethodResult.AVERAGE))) {
            categories.add(MethodResult.AVERAGE);
        }
        for (String category : categories) {
            for (int k : report.settings().shots()) {
                table.append("| ")
                        .append(
                                category.equals(MethodResult.AVERAGE)
                                        ? "**" + category + "**"
                                        : category)
                        .append(" | ")
                        .append(k)
                        .append(" |");
                for (EvalMethod method : methods) {
                    table.append(' ')
                            .append(cell(metric.apply(report.result(method, category, k))))
                            .append(" |");
                }
                table.append('\n');
            }
        }
        return table.toString();
    }

    static String cell(RunSummary summary) {
        return String.format(Locale.ROOT, "%.3f ± %.3f", summary.mean(), summary.std());
    }

    private static String percent(RunSummary summary) {
        return String.format(
                Locale.ROOT, "%.1f%% ± %.1f%%", 100 * summary.mean(), 100 * summary.std());
    }
}
