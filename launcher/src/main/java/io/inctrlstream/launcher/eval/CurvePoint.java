package io.inctrlstream.launcher.eval;

/**
 * One point of a ROC curve (x = false-positive rate, y = true-positive rate) or of a
 * precision-recall curve (x = recall, y = precision).
 */
public record CurvePoint(double x, double y) {}
