package io.inctrlstream.launcher.eval;

import java.util.Objects;

/**
 * One method's image-level AUROC and AUPRC for one category (or {@link #AVERAGE}) and K, over the
 * runs.
 */
public record MethodResult(
        EvalMethod method, String category, int shots, RunSummary auroc, RunSummary auprc) {
    /**
     * The category name of the rows averaged over categories: run r's average is the mean of the
     * categories' run r, and the mean and standard deviation are over those averages.
     */
    public static final String AVERAGE = "average";

    public MethodResult {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(auroc, "auroc");
        Objects.requireNonNull(auprc, "auprc");
    }

    /** The number of runs. */
    public int runs() {
        return auroc.values().size();
    }
}
