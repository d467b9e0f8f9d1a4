package io.inctrlstream.launcher.images.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Random;

/** Paints scratches and stains on a product's surface, returning where they went. */
public final class SurfaceDefects {
    private SurfaceDefects() {}

    /** Paints a scratch inside {@code surface}; returns its bounds (stroke included). */
    public static Rectangle2D scratch(Graphics2D g, Rectangle2D surface, Color color, Random rng) {
        double x = surface.getX() + rng.nextDouble() * surface.getWidth() * 0.5;
        double y = surface.getY() + surface.getHeight() * (0.2 + rng.nextDouble() * 0.6);
        double heading = (rng.nextDouble() - 0.5) * Math.PI / 2;
        Path2D path = new Path2D.Double();
        path.moveTo(x, y);
        int segments = 3 + rng.nextInt(3);
        for (int i = 0; i < segments; i++) {
            double length = 14 + rng.nextDouble() * 16;
            heading += (rng.nextDouble() - 0.5) * 0.5;
            x = clamp(x + length * Math.cos(heading), surface.getMinX(), surface.getMaxX());
            y = clamp(y + length * Math.sin(heading), surface.getMinY(), surface.getMaxY());
            path.lineTo(x, y);
        }
        float width = 2f + rng.nextFloat() * 1.5f;
        g.setColor(color);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
        Shape stroked = g.getStroke().createStrokedShape(path);
        return stroked.getBounds2D();
    }

    /** Paints a stain inside {@code surface}; returns its bounds. */
    public static Rectangle2D spot(Graphics2D g, Rectangle2D surface, Color color, Random rng) {
        double r = 7 + rng.nextDouble() * 6;
        double x = surface.getX() + r + rng.nextDouble() * (surface.getWidth() - 2 * r);
        double y = surface.getY() + r + rng.nextDouble() * (surface.getHeight() - 2 * r);
        double squash = 0.7 + rng.nextDouble() * 0.3;
        Ellipse2D blob = new Ellipse2D.Double(x - r, y - r * squash, 2 * r, 2 * r * squash);
        Color edge = new Color(color.getRed(), color.getGreen(), color.getBlue(), 0);
        g.setPaint(
                new RadialGradientPaint(
                        (float) x,
                        (float) y,
                        (float) r,
                        new float[] {0f, 0.65f, 1f},
                        new Color[] {color, color, edge}));
        g.fill(blob);
        return blob.getBounds2D();
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }
}
