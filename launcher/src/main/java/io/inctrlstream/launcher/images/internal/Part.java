package io.inctrlstream.launcher.images.internal;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One component of a product (a bolt, a chip, a logo) that can be missing or out of place: where it
 * is in design coordinates and how to paint it there.
 */
public record Part(String name, Rectangle2D bounds, Consumer<Graphics2D> painter) {
    public Part {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(painter, "painter");
    }
}
