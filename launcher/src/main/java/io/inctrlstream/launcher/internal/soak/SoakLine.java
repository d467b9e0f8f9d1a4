package io.inctrlstream.launcher.internal.soak;

import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.ImageBytes;
import io.inctrlstream.launcher.images.Product;
import io.inctrlstream.launcher.images.ProductImageGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * One production line of a soak: its id, normal shots, and a small pool of normal frames (PNG) its
 * camera sends in turn, encoded once up front so that the cameras cost no CPU the job needs.
 *
 * @param lineId the line's id
 * @param size side of its pictures in pixels
 * @param shots PNGs of its shots
 * @param framePool PNGs of the frames it sends, in turn
 */
record SoakLine(String lineId, int size, List<byte[]> shots, List<byte[]> framePool) {
    static final int FRAME_POOL = 8;
    private static final long FIRST_FRAME_SAMPLE = 10_000;

    /** Line {@code index} (0-based) with {@code shots} shots. */
    static SoakLine create(int index, int shots) {
        Product product = Product.values()[index % Product.values().length];
        ProductImageGenerator camera =
                ProductImageGenerator.builder().product(product).seed(1_000_003L + index).build();
        List<byte[]> shotImages = new ArrayList<>(shots);
        for (int i = 0; i < shots; i++) {
            shotImages.add(ImageBytes.png(camera.generate(i, Defect.NONE).image()));
        }
        List<byte[]> frames = new ArrayList<>(FRAME_POOL);
        for (int i = 0; i < FRAME_POOL; i++) {
            frames.add(
                    ImageBytes.png(camera.generate(FIRST_FRAME_SAMPLE + i, Defect.NONE).image()));
        }
        return new SoakLine(
                String.format("soak-%03d", index + 1),
                camera.size(),
                List.copyOf(shotImages),
                List.copyOf(frames));
    }

    /** The frame id of the line's frame number {@code sequence}. */
    static String frameId(long sequence) {
        return String.format("f-%09d", sequence);
    }

    /**
     * The frame number in a frame id of {@link #frameId}.
     *
     * @return -1 if the id is not one of a soak's
     */
    static long sequence(String frameId) {
        if (frameId.length() != 11 || !frameId.startsWith("f-")) {
            return -1;
        }
        for (int i = 2; i < frameId.length(); i++) {
            if (!Character.isDigit(frameId.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(frameId.substring(2));
    }
}
