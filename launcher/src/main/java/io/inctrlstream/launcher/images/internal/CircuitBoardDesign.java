package io.inctrlstream.launcher.images.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A populated circuit board on a dark bench: copper traces between pads, two chips, capacitors and
 * resistors. A missing component leaves its solder pads visible.
 */
public final class CircuitBoardDesign extends ProductDesign {
    private static final double BOARD_MIN = 23;
    private static final double BOARD = 210;

    private final List<Path2D> traces = new ArrayList<>();
    private final List<double[]> vias = new ArrayList<>();
    private final List<Part> parts = new ArrayList<>();
    private final List<Rectangle2D> pads = new ArrayList<>();

    public CircuitBoardDesign(Random design) {
        for (int i = 0; i < 14; i++) {
            Path2D trace = new Path2D.Double();
            double x = BOARD_MIN + 10 + design.nextInt((int) BOARD - 20);
            double y = BOARD_MIN + 10 + design.nextInt((int) BOARD - 20);
            trace.moveTo(x, y);
            for (int k = 0; k < 3; k++) {
                if (k % 2 == 0) {
                    x = clamp(x + design.nextInt(120) - 60);
                } else {
                    y = clamp(y + design.nextInt(120) - 60);
                }
                trace.lineTo(x, y);
            }
            traces.add(trace);
            vias.add(new double[] {x, y});
        }
        addChip("U1", 52 + design.nextInt(10), 56 + design.nextInt(10), 64, 44);
        addChip("U2", 140 + design.nextInt(10), 130 + design.nextInt(10), 48, 48);
        for (int i = 0; i < 4; i++) {
            double x = 60 + i * 40 + design.nextInt(8);
            double y = 172 + design.nextInt(16);
            addCapacitor("C" + (i + 1), x, y);
        }
        for (int i = 0; i < 4; i++) {
            double x = 150 + design.nextInt(8);
            double y = 48 + i * 18;
            addResistor("R" + (i + 1), x, y);
        }
    }

    private static double clamp(double v) {
        return Math.max(BOARD_MIN + 8, Math.min(BOARD_MIN + BOARD - 8, v));
    }

    private void addChip(String name, double x, double y, double w, double h) {
        int pins = (int) (w / 8);
        for (int p = 0; p < pins; p++) {
            pads.add(new Rectangle2D.Double(x + 4 + p * 8, y - 6, 4, 6));
            pads.add(new Rectangle2D.Double(x + 4 + p * 8, y + h, 4, 6));
        }
        parts.add(
                new Part(
                        name,
                        new Rectangle2D.Double(x - 1, y - 7, w + 2, h + 14),
                        g -> paintChip(g, x, y, w, h, pins)));
    }

    private void addCapacitor(String name, double x, double y) {
        pads.add(new Rectangle2D.Double(x - 9, y - 3, 5, 6));
        pads.add(new Rectangle2D.Double(x + 4, y - 3, 5, 6));
        parts.add(
                new Part(
                        name,
                        new Rectangle2D.Double(x - 11, y - 11, 22, 22),
                        g -> paintCapacitor(g, x, y)));
    }

    private void addResistor(String name, double x, double y) {
        pads.add(new Rectangle2D.Double(x - 2, y - 1, 4, 8));
        pads.add(new Rectangle2D.Double(x + 22, y - 1, 4, 8));
        parts.add(
                new Part(
                        name,
                        new Rectangle2D.Double(x - 1, y - 1, 26, 8),
                        g -> paintResistor(g, x, y)));
    }

    @Override
    public void paintBackground(Graphics2D g) {
        g.setColor(new Color(52, 54, 60));
        g.fill(new Rectangle2D.Double(0, 0, SIZE, SIZE));
    }

    @Override
    public void paintBody(Graphics2D g) {
        g.setColor(new Color(18, 92, 48));
        g.fill(new Rectangle2D.Double(BOARD_MIN, BOARD_MIN, BOARD, BOARD));
        g.setColor(new Color(12, 70, 36));
        g.setStroke(new BasicStroke(2f));
        g.draw(new Rectangle2D.Double(BOARD_MIN + 3, BOARD_MIN + 3, BOARD - 6, BOARD - 6));
        g.setColor(new Color(176, 148, 70));
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (Path2D trace : traces) {
            g.draw(trace);
        }
        for (double[] via : vias) {
            g.setColor(new Color(200, 176, 96));
            g.fill(new Ellipse2D.Double(via[0] - 3.5, via[1] - 3.5, 7, 7));
            g.setColor(new Color(20, 30, 24));
            g.fill(new Ellipse2D.Double(via[0] - 1.5, via[1] - 1.5, 3, 3));
        }
        g.setColor(new Color(206, 206, 200));
        for (Rectangle2D pad : pads) {
            g.fill(pad);
        }
    }

    @Override
    public List<Part> parts() {
        return parts;
    }

    @Override
    public Rectangle2D surface() {
        return new Rectangle2D.Double(BOARD_MIN + 10, BOARD_MIN + 10, BOARD - 20, BOARD - 20);
    }

    @Override
    public Color scratchColor() {
        return new Color(150, 200, 160);
    }

    @Override
    public Color spotColor() {
        return new Color(40, 28, 16);
    }

    private static void paintChip(Graphics2D g, double x, double y, double w, double h, int pins) {
        g.setColor(new Color(190, 190, 196));
        for (int p = 0; p < pins; p++) {
            g.fill(new Rectangle2D.Double(x + 4 + p * 8, y - 5, 4, 5));
            g.fill(new Rectangle2D.Double(x + 4 + p * 8, y + h, 4, 5));
        }
        g.setColor(new Color(28, 28, 32));
        g.fill(new Rectangle2D.Double(x, y, w, h));
        g.setColor(new Color(70, 70, 78));
        g.fill(new Ellipse2D.Double(x + 4, y + 4, 6, 6));
    }

    private static void paintCapacitor(Graphics2D g, double x, double y) {
        g.setColor(new Color(30, 60, 140));
        g.fill(new Ellipse2D.Double(x - 10, y - 10, 20, 20));
        g.setColor(new Color(170, 180, 200));
        g.fill(new Rectangle2D.Double(x - 10, y - 10, 6, 20));
        g.setColor(new Color(120, 150, 220));
        g.setStroke(new BasicStroke(1f));
        g.draw(new Ellipse2D.Double(x - 6, y - 6, 12, 12));
    }

    private static void paintResistor(Graphics2D g, double x, double y) {
        g.setColor(new Color(214, 190, 150));
        g.fill(new Rectangle2D.Double(x, y, 24, 6));
        g.setColor(new Color(160, 40, 30));
        g.fill(new Rectangle2D.Double(x + 5, y, 3, 6));
        g.setColor(new Color(30, 30, 30));
        g.fill(new Rectangle2D.Double(x + 11, y, 3, 6));
        g.setColor(new Color(200, 150, 20));
        g.fill(new Rectangle2D.Double(x + 17, y, 3, 6));
    }
}
