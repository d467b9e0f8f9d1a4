package io.inctrlstream.job.internal;

import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.HeatmapRenderer;
import java.util.Arrays;

/**
 * The heatmap of an alert whose score carries none (a backend that does not render them): the patch
 * map alone, over a neutral grey square of 16 pixels per patch, scaled to the map's own range.
 */
final class HeatmapFallback {
    private static final int PIXELS_PER_PATCH = 16;
    private static final byte GREY = (byte) 128;
    private static final HeatmapRenderer RENDERER = HeatmapRenderer.builder().build();

    private HeatmapFallback() {}

    static byte[] render(float[] patchMap) {
        int grid = ScoreRecords.patchGrid(patchMap);
        if (grid == 0) {
            return new byte[0];
        }
        int side = grid * PIXELS_PER_PATCH;
        byte[] rgb = new byte[side * side * 3];
        Arrays.fill(rgb, GREY);
        return RENDERER.renderPng(DecodedImage.ofRgb(side, side, rgb), patchMap, grid);
    }
}
