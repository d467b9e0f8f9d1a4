package io.inctrlstream.launcher.images.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A printed label on a cardboard box: a logo, a title bar, lines of text, a barcode and a square
 * code block. No fonts are used (text is drawn as word blocks), so that the picture is the same on
 * every machine.
 */
public final class PrintedLabelDesign extends ProductDesign {
    private static final double LABEL_X = 28;
    private static final double LABEL_Y = 53;
    private static final double LABEL_W = 200;
    private static final double LABEL_H = 150;

    private final double[][] fibres;
    private final Color accent;
    private final List<double[]> words = new ArrayList<>();
    private final List<double[]> bars = new ArrayList<>();
    private final boolean[][] code;
    private final List<Part> parts = new ArrayList<>();

    public PrintedLabelDesign(Random design) {
        fibres = new double[160][];
        for (int i = 0; i < fibres.length; i++) {
            double x = design.nextDouble() * SIZE;
            double y = design.nextDouble() * SIZE;
            double length = 4 + design.nextDouble() * 10;
            double angle = design.nextDouble() * Math.PI;
            fibres[i] =
                    new double[] {x, y, x + length * Math.cos(angle), y + length * Math.sin(angle)};
        }
        Color[] accents = {new Color(200, 36, 40), new Color(20, 90, 180), new Color(10, 140, 90)};
        accent = accents[design.nextInt(accents.length)];
        for (int line = 0; line < 4; line++) {
            double x = LABEL_X + 60;
            double limit = LABEL_X + LABEL_W - 12 - design.nextInt(40);
            while (x < limit) {
                double w = 6 + design.nextInt(20);
                words.add(new double[] {x, LABEL_Y + 44 + line * 13, Math.min(w, limit - x)});
                x += w + 4;
            }
        }
        double x = 2;
        while (x < 92) {
            double bar = 1 + design.nextInt(3);
            bars.add(new double[] {x, Math.min(bar, 94 - x)});
            x += bar + 1 + design.nextInt(3);
        }
        code = new boolean[8][8];
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                code[r][c] = design.nextBoolean();
            }
        }
        double logoX = LABEL_X + 30;
        double logoY = LABEL_Y + 30;
        parts.add(
                new Part(
                        "logo",
                        new Rectangle2D.Double(logoX - 20, logoY - 20, 40, 40),
                        g -> paintLogo(g, logoX, logoY)));
        double titleX = LABEL_X + 60;
        double titleY = LABEL_Y + 16;
        parts.add(
                new Part(
                        "title",
                        new Rectangle2D.Double(titleX, titleY, 120, 16),
                        g -> paintTitle(g, titleX, titleY)));
        double barX = LABEL_X + 14;
        double barY = LABEL_Y + LABEL_H - 52;
        parts.add(
                new Part(
                        "barcode",
                        new Rectangle2D.Double(barX - 1, barY - 1, 98, 42),
                        g -> paintBarcode(g, barX, barY)));
        double codeX = LABEL_X + LABEL_W - 58;
        double codeY = LABEL_Y + LABEL_H - 56;
        parts.add(
                new Part(
                        "code block",
                        new Rectangle2D.Double(codeX - 1, codeY - 1, 44, 44),
                        g -> paintCode(g, codeX, codeY)));
    }

    @Override
    public void paintBackground(Graphics2D g) {
        g.setColor(new Color(176, 136, 92));
        g.fill(new Rectangle2D.Double(0, 0, SIZE, SIZE));
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < fibres.length; i++) {
            g.setColor(i % 2 == 0 ? new Color(160, 122, 80) : new Color(190, 152, 108));
            double[] f = fibres[i];
            g.draw(new Line2D.Double(f[0], f[1], f[2], f[3]));
        }
    }

    @Override
    public void paintBody(Graphics2D g) {
        g.setColor(new Color(90, 66, 40, 140));
        g.fill(new RoundRectangle2D.Double(LABEL_X + 3, LABEL_Y + 4, LABEL_W, LABEL_H, 12, 12));
        g.setColor(new Color(246, 242, 228));
        g.fill(new RoundRectangle2D.Double(LABEL_X, LABEL_Y, LABEL_W, LABEL_H, 12, 12));
        g.setColor(new Color(70, 70, 76));
        for (double[] word : words) {
            g.fill(new Rectangle2D.Double(word[0], word[1], word[2], 6));
        }
        g.setColor(accent);
        g.setStroke(new BasicStroke(2f));
        g.draw(
                new Line2D.Double(
                        LABEL_X + 8,
                        LABEL_Y + LABEL_H - 60,
                        LABEL_X + LABEL_W - 8,
                        LABEL_Y + LABEL_H - 60));
    }

    @Override
    public List<Part> parts() {
        return parts;
    }

    @Override
    public Rectangle2D surface() {
        return new Rectangle2D.Double(LABEL_X + 8, LABEL_Y + 8, LABEL_W - 16, LABEL_H - 16);
    }

    @Override
    public Color scratchColor() {
        return new Color(150, 118, 84);
    }

    @Override
    public Color spotColor() {
        return new Color(60, 40, 24);
    }

    private void paintLogo(Graphics2D g, double x, double y) {
        g.setColor(accent);
        g.fill(new Ellipse2D.Double(x - 18, y - 18, 36, 36));
        Polygon triangle = new Polygon();
        triangle.addPoint((int) x, (int) (y - 10));
        triangle.addPoint((int) (x + 10), (int) (y + 8));
        triangle.addPoint((int) (x - 10), (int) (y + 8));
        g.setColor(new Color(250, 250, 250));
        g.fill(triangle);
    }

    private void paintTitle(Graphics2D g, double x, double y) {
        g.setColor(new Color(24, 40, 96));
        g.fill(new Rectangle2D.Double(x, y, 120, 16));
        g.setColor(new Color(235, 235, 245));
        for (int k = 0; k < 6; k++) {
            g.fill(new Rectangle2D.Double(x + 6 + k * 19, y + 5, 13, 6));
        }
    }

    private void paintBarcode(Graphics2D g, double x, double y) {
        g.setColor(new Color(250, 250, 250));
        g.fill(new Rectangle2D.Double(x - 1, y - 1, 98, 42));
        g.setColor(new Color(16, 16, 18));
        for (double[] bar : bars) {
            g.fill(new Rectangle2D.Double(x + bar[0], y, bar[1], 40));
        }
    }

    private void paintCode(Graphics2D g, double x, double y) {
        g.setColor(new Color(16, 16, 18));
        g.setStroke(new BasicStroke(2f));
        g.draw(new Rectangle2D.Double(x, y, 42, 42));
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                if (code[r][c]) {
                    g.fill(new Rectangle2D.Double(x + 1 + c * 5, y + 1 + r * 5, 5, 5));
                }
            }
        }
    }
}
