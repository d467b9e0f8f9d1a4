package io.inctrlstream.launcher.images.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RadialGradientPaint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A brushed metal plate with a central boss and four hex bolts, on a dark conveyor belt. */
public final class MetalPartDesign extends ProductDesign {
    private static final double PLATE = 176;
    private static final double PLATE_MIN = (SIZE - PLATE) / 2;

    private final int[] beltLines;
    private final int[] brushShades;
    private final double boltInset;
    private final double bossRadius;
    private final List<Part> parts = new ArrayList<>();

    public MetalPartDesign(Random design) {
        beltLines = new int[24];
        for (int i = 0; i < beltLines.length; i++) {
            beltLines[i] = design.nextInt((int) SIZE);
        }
        brushShades = new int[(int) PLATE];
        int shade = 0;
        for (int i = 0; i < brushShades.length; i++) {
            shade = Math.max(-14, Math.min(14, shade + design.nextInt(7) - 3));
            brushShades[i] = shade;
        }
        boltInset = 24 + design.nextInt(6);
        bossRadius = 30 + design.nextInt(8);
        double near = PLATE_MIN + boltInset;
        double far = PLATE_MIN + PLATE - boltInset;
        double[][] corners = {{near, near}, {far, near}, {near, far}, {far, far}};
        for (int i = 0; i < corners.length; i++) {
            double x = corners[i][0];
            double y = corners[i][1];
            double angle = design.nextDouble() * Math.PI / 3;
            parts.add(
                    new Part(
                            "bolt " + (i + 1),
                            new Rectangle2D.Double(x - 13, y - 13, 26, 26),
                            g -> paintBolt(g, x, y, angle)));
        }
        double c = SIZE / 2;
        double r = bossRadius;
        parts.add(
                new Part(
                        "boss",
                        new Rectangle2D.Double(c - r - 2, c - r - 2, 2 * r + 4, 2 * r + 4),
                        g -> paintBoss(g, c, c, r)));
    }

    @Override
    public void paintBackground(Graphics2D g) {
        g.setColor(new Color(38, 40, 44));
        g.fill(new Rectangle2D.Double(0, 0, SIZE, SIZE));
        g.setColor(new Color(50, 52, 57));
        g.setStroke(new BasicStroke(1f));
        for (int x : beltLines) {
            g.drawLine(x, 0, x, (int) SIZE);
        }
    }

    @Override
    public void paintBody(Graphics2D g) {
        Shape plate = new RoundRectangle2D.Double(PLATE_MIN, PLATE_MIN, PLATE, PLATE, 22, 22);
        g.setColor(new Color(20, 20, 22, 120));
        g.fill(new RoundRectangle2D.Double(PLATE_MIN + 4, PLATE_MIN + 5, PLATE, PLATE, 22, 22));
        Shape clip = g.getClip();
        g.clip(plate);
        for (int i = 0; i < brushShades.length; i++) {
            int v = 158 + brushShades[i];
            g.setColor(new Color(v, v + 2, v + 6));
            g.fill(new Rectangle2D.Double(PLATE_MIN, PLATE_MIN + i, PLATE, 1));
        }
        g.setClip(clip);
        g.setStroke(new BasicStroke(2.5f));
        g.setColor(new Color(205, 208, 214));
        g.draw(plate);
        for (Part part : parts) {
            // Counterbores under the bolts: what shows when a bolt is missing.
            Rectangle2D b = part.bounds();
            if (part.name().startsWith("bolt")) {
                g.setColor(new Color(70, 72, 76));
                g.fill(new Ellipse2D.Double(b.getCenterX() - 9, b.getCenterY() - 9, 18, 18));
                g.setColor(new Color(25, 25, 28));
                g.fill(new Ellipse2D.Double(b.getCenterX() - 5, b.getCenterY() - 5, 10, 10));
            }
        }
        double c = SIZE / 2;
        g.setColor(new Color(120, 122, 128));
        g.fill(new Ellipse2D.Double(c - 16, c - 16, 32, 32));
    }

    @Override
    public List<Part> parts() {
        return parts;
    }

    @Override
    public Rectangle2D surface() {
        return new Rectangle2D.Double(PLATE_MIN + 12, PLATE_MIN + 12, PLATE - 24, PLATE - 24);
    }

    @Override
    public Color scratchColor() {
        return new Color(236, 238, 242);
    }

    @Override
    public Color spotColor() {
        return new Color(74, 48, 30);
    }

    private static void paintBolt(Graphics2D g, double x, double y, double angle) {
        Polygon hex = new Polygon();
        for (int k = 0; k < 6; k++) {
            double a = angle + k * Math.PI / 3;
            hex.addPoint(
                    (int) Math.round(x + 12 * Math.cos(a)), (int) Math.round(y + 12 * Math.sin(a)));
        }
        g.setColor(new Color(96, 98, 104));
        g.fill(hex);
        g.setColor(new Color(190, 192, 198));
        g.setStroke(new BasicStroke(1.5f));
        g.draw(hex);
        g.setColor(new Color(140, 142, 150));
        g.fill(new Ellipse2D.Double(x - 6, y - 6, 12, 12));
    }

    private static void paintBoss(Graphics2D g, double x, double y, double r) {
        g.setPaint(
                new RadialGradientPaint(
                        (float) (x - r / 3),
                        (float) (y - r / 3),
                        (float) (r * 1.4),
                        new float[] {0f, 1f},
                        new Color[] {new Color(232, 234, 238), new Color(120, 122, 130)}));
        g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        g.setColor(new Color(60, 62, 66));
        g.setStroke(new BasicStroke(2f));
        g.draw(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        g.setColor(new Color(18, 18, 20));
        g.fill(new Ellipse2D.Double(x - 11, y - 11, 22, 22));
    }
}
