package io.inctrlstream.launcher.eval.internal;

import io.inctrlstream.launcher.eval.CurvePoint;
import io.inctrlstream.launcher.eval.DetectionMetrics;
import io.inctrlstream.launcher.eval.EvalMethod;
import io.inctrlstream.launcher.eval.RunScores;
import io.inctrlstream.launcher.images.ImageBytes;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws ROC and precision-recall curves as PNG (java.awt, headless): one chart per category and K,
 * every method a coloured line, its area in the legend.
 */
public final class CurveCharts {
    private static final int SIZE = 480;
    private static final int MARGIN = 56;
    private static final Color[] COLORS = {
        new Color(0xD62728),
        new Color(0x1F77B4),
        new Color(0x2CA02C),
        new Color(0x9467BD),
        new Color(0x8C564B),
        new Color(0x7F7F7F)
    };

    private CurveCharts() {}

    /**
     * Writes {@code roc-<category>-k<K>.png} and {@code pr-<category>-k<K>.png} of each run's
     * scores into the folder; returns the files written.
     */
    public static List<Path> write(List<RunScores> runs, List<EvalMethod> methods, Path folder)
            throws IOException {
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        for (RunScores run : runs) {
            String stem = run.category() + "-k" + run.shots();
            Path roc = folder.resolve("roc-" + stem + ".png");
            Files.write(roc, ImageBytes.png(chart(run, methods, true)));
            Path pr = folder.resolve("pr-" + stem + ".png");
            Files.write(pr, ImageBytes.png(chart(run, methods, false)));
            written.add(roc);
            written.add(pr);
        }
        return written;
    }

    /** One chart: the ROC curves ({@code roc}) or the precision-recall curves. */
    static BufferedImage chart(RunScores run, List<EvalMethod> methods, boolean roc) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIZE, SIZE);
            int plot = SIZE - 2 * MARGIN;
            g.setColor(new Color(0xE0E0E0));
            for (int i = 0; i <= 10; i++) {
                int offset = MARGIN + plot * i / 10;
                g.drawLine(MARGIN, offset, MARGIN + plot, offset);
                g.drawLine(offset, MARGIN, offset, MARGIN + plot);
            }
            g.setColor(Color.BLACK);
            g.drawRect(MARGIN, MARGIN, plot, plot);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i <= 5; i++) {
                String tick = String.format(Locale.ROOT, "%.1f", i / 5.0);
                g.drawString(tick, MARGIN + plot * i / 5 - 8, MARGIN + plot + 16);
                g.drawString(tick, MARGIN - 28, MARGIN + plot - plot * i / 5 + 4);
            }
            g.drawString(roc ? "false-positive rate" : "recall", MARGIN + plot / 2 - 40, SIZE - 14);
            g.drawString(roc ? "true-positive rate" : "precision", 6, MARGIN - 10);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(
                    (roc ? "ROC" : "Precision-recall")
                            + ", "
                            + run.category()
                            + ", K = "
                            + run.shots()
                            + " (first run)",
                    MARGIN,
                    MARGIN - 30);
            if (roc) {
                g.setColor(Color.GRAY);
                g.setStroke(
                        new BasicStroke(
                                1,
                                BasicStroke.CAP_BUTT,
                                BasicStroke.JOIN_MITER,
                                10,
                                new float[] {4, 4},
                                0));
                g.drawLine(MARGIN, MARGIN + plot, MARGIN + plot, MARGIN);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            Map<EvalMethod, double[]> scores = run.scores();
            boolean[] labels = run.anomalous();
            int legend = 0;
            for (int m = 0; m < methods.size(); m++) {
                EvalMethod method = methods.get(m);
                double[] values = scores.get(method);
                if (values == null) {
                    continue;
                }
                List<CurvePoint> curve =
                        roc
                                ? DetectionMetrics.rocCurve(values, labels)
                                : DetectionMetrics.precisionRecallCurve(values, labels);
                double area =
                        roc
                                ? DetectionMetrics.auroc(values, labels)
                                : DetectionMetrics.averagePrecision(values, labels);
                Color color = COLORS[m % COLORS.length];
                g.setColor(color);
                g.setStroke(new BasicStroke(method == EvalMethod.INCTRL ? 2.5f : 1.5f));
                g.draw(path(curve, plot, roc));
                int y = MARGIN + plot - 12 - 16 * (methods.size() - 1 - legend);
                g.fillRect(MARGIN + plot - 150, y - 9, 12, 10);
                g.setColor(Color.BLACK);
                g.drawString(
                        String.format(
                                Locale.ROOT,
                                "%s  %s %.3f",
                                method.id(),
                                roc ? "AUROC" : "AP",
                                area),
                        MARGIN + plot - 132,
                        y);
                legend++;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * The curve in pixels; precision-recall as the steps average precision sums: each point's
     * precision over the recall it adds.
     */
    private static Path2D path(List<CurvePoint> curve, int plot, boolean roc) {
        Path2D path = new Path2D.Double();
        CurvePoint first = curve.get(0);
        path.moveTo(x(first.x(), plot), y(first.y(), plot));
        for (int i = 1; i < curve.size(); i++) {
            CurvePoint point = curve.get(i);
            if (!roc) {
                path.lineTo(x(curve.get(i - 1).x(), plot), y(point.y(), plot));
            }
            path.lineTo(x(point.x(), plot), y(point.y(), plot));
        }
        return path;
    }

    private static double x(double value, int plot) {
        return MARGIN + value * plot;
    }

    private static double y(double value, int plot) {
        return MARGIN + plot - value * plot;
    }
}
