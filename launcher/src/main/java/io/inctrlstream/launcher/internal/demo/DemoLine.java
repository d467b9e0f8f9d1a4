package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.ImageBytes;
import io.inctrlstream.launcher.images.Product;
import io.inctrlstream.launcher.images.ProductImageGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated production line: its id, product, camera picture generator and the pool of renders
 * its camera replays. Sample indices keep shots and live frames apart, so that no live frame
 * repeats a shot.
 */
record DemoLine(
        String lineId,
        String cameraId,
        Product product,
        ProductImageGenerator camera,
        FramePool pool) {
    /** Calibration frames are the pool's good renders with noise of frames no camera sends. */
    static final long CALIBRATION_FRAMES = 1L << 40;

    /** Line {@code index} (0-based) of a demo with the given seed. */
    static DemoLine create(int index, long seed) {
        Product product = Product.values()[index % Product.values().length];
        ProductImageGenerator generator =
                ProductImageGenerator.builder()
                        .product(product)
                        .seed(seed * 1_000_003L + index)
                        // A fixed inspection station: the part is placed in a fixture under
                        // controlled light, and the sensor adds a little noise.
                        .jitter(0)
                        .lighting(0)
                        .noiseSigma(1.0)
                        .build();
        return new DemoLine(
                "line-" + (index + 1),
                "cam-" + (index + 1),
                product,
                generator,
                new FramePool(generator, seed * 1_000_003L + index));
    }

    String category() {
        return product.category();
    }

    /** The PNGs of the line's normal shots. */
    List<byte[]> shots(int count) {
        List<byte[]> shots = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            shots.add(ImageBytes.png(camera.generate(i, Defect.NONE).image()));
        }
        return shots;
    }

    /**
     * The PNGs of good frames for threshold calibration: what the camera sends for good parts
     * (every good render of the pool, with noise of their own).
     */
    List<byte[]> calibrationFrames(int count) {
        List<byte[]> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(pool.frame(CALIBRATION_FRAMES + i, Defect.NONE));
        }
        return frames;
    }

    /** The PNG of live frame {@code n} with the given defect, from the camera's pool. */
    byte[] liveFrame(long n, Defect defect) {
        return pool.frame(n, defect);
    }
}
