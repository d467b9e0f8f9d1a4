package io.inctrlstream.launcher.eval.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.inctrlstream.launcher.eval.EvaluationReport;
import io.inctrlstream.launcher.eval.MethodResult;
import io.inctrlstream.launcher.eval.ThresholdResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation as JSON: {@code results}, one object per method, category and K ({@code model},
 * {@code method}, {@code category}, {@code shots}, {@code runs}, {@code auroc_mean}, {@code
 * auroc_std}, {@code auprc_mean}, {@code auprc_std}, and each run's values), {@code thresholds},
 * and what was run and how long it took.
 */
public final class ResultsJson {
    private ResultsJson() {}

    /** Writes the report to the file. */
    public static void write(EvaluationReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), document(report));
    }

    static Map<String, Object> document(EvaluationReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", report.modelId());
        root.put("device", report.device());
        root.put("dataset", report.dataset().toString());
        root.put("layout", report.layout().name());
        root.put("shots", report.settings().shots());
        root.put("runs", report.settings().runs());
        root.put("seed", report.settings().seed());
        root.put("categories", report.categories());
        root.put("encoded_images", report.encodedImages());
        root.put("encode_seconds", report.encodeSeconds());
        root.put("total_seconds", report.totalSeconds());
        List<Map<String, Object>> results = new ArrayList<>();
        for (MethodResult result : report.results()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", report.modelId());
            row.put("method", result.method().id());
            row.put("category", result.category());
            row.put("shots", result.shots());
            row.put("runs", result.runs());
            row.put("auroc_mean", result.auroc().mean());
            row.put("auroc_std", result.auroc().std());
            row.put("auprc_mean", result.auprc().mean());
            row.put("auprc_std", result.auprc().std());
            row.put("auroc_runs", result.auroc().values());
            row.put("auprc_runs", result.auprc().values());
            results.add(row);
        }
        root.put("results", results);
        List<Map<String, Object>> thresholds = new ArrayList<>();
        for (ThresholdResult t : report.thresholds()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("category", t.category());
            row.put("shots", t.shots());
            row.put("threshold_mean", t.threshold().mean());
            row.put("threshold_std", t.threshold().std());
            row.put("false_alarm_rate_mean", t.falseAlarmRate().mean());
            row.put("miss_rate_mean", t.missRate().mean());
            row.put("thresholds", t.threshold().values());
            thresholds.add(row);
        }
        root.put("thresholds", thresholds);
        return root;
    }
}
