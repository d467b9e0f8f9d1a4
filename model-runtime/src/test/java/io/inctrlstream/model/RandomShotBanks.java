package io.inctrlstream.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/** Shot banks of random content for codec and value tests (no model needed). */
final class RandomShotBanks {
    private RandomShotBanks() {}

    static ShotBank create(
            long seed, String modelId, String category, int shots, int width, int embed) {
        SplittableRandom random = new SplittableRandom(seed);
        int taps = 3;
        int patches = 9;
        ByteBuffer bank =
                ByteBuffer.allocateDirect(taps * width * shots * patches * Float.BYTES)
                        .order(ByteOrder.nativeOrder());
        FloatBuffer floats = bank.asFloatBuffer();
        while (floats.hasRemaining()) {
            floats.put((float) (random.nextDouble() * 2 - 1));
        }
        float[] mean = vector(random, embed, 3);
        return ShotBank.create(
                modelId,
                category,
                shots,
                taps,
                width,
                patches,
                bank,
                mean,
                TextPrototypes.of(category, vector(random, embed, 1), vector(random, embed, 1)));
    }

    private static float[] vector(SplittableRandom random, int length, double scale) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
    }
}
