package io.inctrlstream.launcher.images;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.Optional;

/**
 * One generated product image: the picture (RGB), what it shows, and where its defect is.
 *
 * @param image the picture, {@link BufferedImage#TYPE_INT_RGB}; owned by the caller
 * @param product the product it shows
 * @param defect its defect, or {@link Defect#NONE}
 * @param defectRegion the pixels the defect changed (compared with the same sample without a
 *     defect), empty for {@link Defect#NONE}
 */
public record GeneratedImage(
        BufferedImage image, Product product, Defect defect, Optional<Rectangle> defectRegion) {
    public GeneratedImage {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(defect, "defect");
        Objects.requireNonNull(defectRegion, "defectRegion");
        if ((defect == Defect.NONE) != defectRegion.isEmpty()) {
            throw new IllegalArgumentException(
                    "a defect region is expected exactly when there is a defect, found defect "
                            + defect
                            + " and region "
                            + defectRegion);
        }
    }

    /** Whether the image shows a defect. */
    public boolean isDefective() {
        return defect != Defect.NONE;
    }
}
