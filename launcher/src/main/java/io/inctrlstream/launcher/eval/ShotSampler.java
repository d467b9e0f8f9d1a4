package io.inctrlstream.launcher.eval;

import io.inctrlstream.launcher.images.internal.SeedMixer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The paper's protocol for drawing normal shots: run r of K shots for a category draws K distinct
 * images of the category's good training images at random, from a generator seeded by (seed,
 * category, K, r). So the same seed draws the same shots on every machine, and each run draws its
 * own.
 */
public final class ShotSampler {
    private ShotSampler() {}

    /**
     * The indices (ascending) into the category's {@code poolSize} good images of run {@code run}'s
     * K shots.
     *
     * @throws IllegalArgumentException if K is not in 1..poolSize or run is negative
     */
    public static List<Integer> draw(long seed, String category, int shots, int run, int poolSize) {
        if (shots < 1 || shots > poolSize) {
            throw new IllegalArgumentException(
                    "K = "
                            + shots
                            + " shots cannot be drawn from "
                            + poolSize
                            + " good images of category "
                            + category);
        }
        if (run < 0) {
            throw new IllegalArgumentException("run must be >= 0, found " + run);
        }
        Random random =
                new Random(SeedMixer.mix(SeedMixer.mix(seed, category.hashCode(), shots), run, 0));
        List<Integer> pool = new ArrayList<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(i);
        }
        Collections.shuffle(pool, random);
        List<Integer> drawn = new ArrayList<>(pool.subList(0, shots));
        Collections.sort(drawn);
        return List.copyOf(drawn);
    }
}
