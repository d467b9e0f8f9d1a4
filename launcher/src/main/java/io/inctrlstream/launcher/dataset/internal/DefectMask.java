package io.inctrlstream.launcher.dataset.internal;

import java.awt.image.BufferedImage;

/**
 * The ground-truth mask of a generated defect: the pixels where it differs from the good render.
 */
public final class DefectMask {
    private static final int WHITE = 0xFFFFFF;

    private DefectMask() {}

    /**
     * A binary mask (255 where the pictures differ, 0 elsewhere) of two renders of one sample.
     *
     * @throws IllegalArgumentException if the pictures differ in size
     */
    public static BufferedImage of(BufferedImage defective, BufferedImage good) {
        int width = defective.getWidth();
        int height = defective.getHeight();
        if (good.getWidth() != width || good.getHeight() != height) {
            throw new IllegalArgumentException(
                    "expected two renders of the same size, found "
                            + width
                            + "x"
                            + height
                            + " and "
                            + good.getWidth()
                            + "x"
                            + good.getHeight());
        }
        BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if ((defective.getRGB(x, y) & WHITE) != (good.getRGB(x, y) & WHITE)) {
                    mask.setRGB(x, y, WHITE);
                }
            }
        }
        return mask;
    }
}
