package io.inctrlstream.launcher.images.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * The fixed look of one product, drawn in a 256 x 256 design space: a background that does not
 * move, the product's body and its parts (which move with the product's placement jitter), and the
 * surface where scratches and spots can land. A design is made once from its seed, so every sample
 * of it shows the same product.
 */
public abstract class ProductDesign {
    /** Width and height of the design space. */
    public static final double SIZE = 256;

    /** Paints what lies around the product (belt, box, bench). */
    public abstract void paintBackground(Graphics2D g);

    /** Paints the product without its parts. */
    public abstract void paintBody(Graphics2D g);

    /** The product's parts, painted in this order after the body. */
    public abstract List<Part> parts();

    /** Where surface defects may be placed (inside the product's body). */
    public abstract Rectangle2D surface();

    /** The colour of a scratch on this product's surface. */
    public abstract Color scratchColor();

    /** The colour of a stain on this product's surface. */
    public abstract Color spotColor();
}
