package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.ImageBytes;
import io.inctrlstream.launcher.images.ProductImageGenerator;
import io.inctrlstream.launcher.images.internal.SeedMixer;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A line camera's pictures: a few renders per kind of defect (and of good parts), each drawn once
 * on first use, replayed with cheap per-frame sensor noise (a random window of a fixed noise table
 * added to the pixels). Drawing a product is far costlier than the noise and the PNG encoding; a
 * dozen cameras drawing every frame took the CPU the job needs. Thread-safe.
 */
final class FramePool {
    /** Renders of good parts; each defect kind gets {@link #DEFECT_RENDERS}. */
    static final int GOOD_RENDERS = 8;

    static final int DEFECT_RENDERS = 3;

    private static final long SAMPLE_BASE = 10_000;
    private static final int NOISE_WINDOW = 1 << 16;

    private final ProductImageGenerator camera;
    private final long seed;
    private final Map<Defect, BufferedImage[]> renders = new EnumMap<>(Defect.class);
    private final byte[] noise;

    FramePool(ProductImageGenerator camera, long seed) {
        this.camera = camera;
        this.seed = seed;
        int values = camera.size() * camera.size() * 3;
        this.noise = new byte[values + NOISE_WINDOW];
        Random random = new Random(SeedMixer.mix(seed, 0, 91));
        for (int i = 0; i < noise.length; i++) {
            // Sensor noise of about one 8-bit level (sigma 0.8), cut at +-2.
            noise[i] = (byte) Math.max(-2, Math.min(2, Math.round(random.nextGaussian() * 0.8)));
        }
        renders.put(Defect.NONE, new BufferedImage[GOOD_RENDERS]);
        for (Defect defect : Defect.anomalies()) {
            renders.put(defect, new BufferedImage[DEFECT_RENDERS]);
        }
    }

    /** The PNG of frame {@code n} with the given defect: a render replayed with frame n's noise. */
    byte[] frame(long n, Defect defect) {
        BufferedImage render = render(defect, (int) Math.floorMod(n, slots(defect)));
        int size = render.getWidth();
        int[] pixels = render.getRGB(0, 0, size, size, null, 0, size);
        int offset = new Random(SeedMixer.mix(seed, n, 92)).nextInt(NOISE_WINDOW);
        for (int i = 0; i < pixels.length; i++) {
            int rgb = pixels[i];
            int at = offset + 3 * i;
            pixels[i] =
                    channel((rgb >> 16) & 0xFF, noise[at]) << 16
                            | channel((rgb >> 8) & 0xFF, noise[at + 1]) << 8
                            | channel(rgb & 0xFF, noise[at + 2]);
        }
        BufferedImage noisy = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        noisy.setRGB(0, 0, size, size, pixels, 0, size);
        return ImageBytes.png(noisy);
    }

    private int slots(Defect defect) {
        return defect == Defect.NONE ? GOOD_RENDERS : DEFECT_RENDERS;
    }

    private synchronized BufferedImage render(Defect defect, int slot) {
        BufferedImage[] kind = renders.get(defect);
        if (kind[slot] == null) {
            List<Defect> kinds = Defect.anomalies();
            long sample = SAMPLE_BASE + (kinds.indexOf(defect) + 1) * 100L + slot;
            kind[slot] = camera.generate(sample, defect).image();
        }
        return kind[slot];
    }

    private static int channel(int value, byte delta) {
        return Math.max(0, Math.min(255, value + delta));
    }
}
