package io.inctrlstream.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Half} against a brute-force reference: the value of every half computed from its
 * fields in double, and float-to-half as "the nearest half, ties to the even bit pattern" found by
 * binary search over all finite halves.
 */
class HalfTest {
    private static final int POSITIVE_INFINITY = 0x7c00;

    /** Values of the halves 0x0000 .. 0x7c00 (+0 .. +infinity), increasing. */
    private static double[] positiveValues;

    @BeforeAll
    static void tabulate() {
        positiveValues = new double[POSITIVE_INFINITY + 1];
        for (int bits = 0; bits <= POSITIVE_INFINITY; bits++) {
            positiveValues[bits] = referenceValue(bits);
        }
    }

    @Test
    void everyHalfConvertsToItsExactValue() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = Half.toFloat((short) bits);
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            if (exponent == 0x1f && mantissa != 0) {
                assertThat(Float.isNaN(value)).as("half %04x", bits).isTrue();
            } else {
                double expected = referenceValue(bits);
                assertThat((double) value).as("half %04x", bits).isEqualTo(expected);
                assertThat(Float.floatToRawIntBits(value) < 0)
                        .as("sign of half %04x", bits)
                        .isEqualTo((bits & 0x8000) != 0);
            }
        }
    }

    @Test
    void everyHalfRoundTripsBitExactly() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            short half = (short) bits;
            short back = Half.fromFloat(Half.toFloat(half));
            boolean nan = ((bits >>> 10) & 0x1f) == 0x1f && (bits & 0x3ff) != 0;
            if (nan) {
                assertThat(Float.isNaN(Half.toFloat(back))).as("NaN %04x", bits).isTrue();
                assertThat(back & 0x8000).as("NaN sign %04x", bits).isEqualTo(bits & 0x8000);
            } else {
                assertThat(back & 0xffff).as("half %04x", bits).isEqualTo(bits);
            }
        }
    }

    @Test
    void tiesBetweenNeighboursRoundToEvenAndNearTiesRoundToNearest() {
        for (int bits = 0; bits < POSITIVE_INFINITY; bits++) {
            double low = positiveValues[bits];
            double high = bits + 1 == POSITIVE_INFINITY ? 65536.0 : positiveValues[bits + 1];
            float tie = (float) ((low + high) / 2);
            assertThat((double) tie)
                    .as("tie above %04x is a float", bits)
                    .isEqualTo((low + high) / 2);
            checkAgainstReference(tie);
            checkAgainstReference(-tie);
            checkAgainstReference(Math.nextUp(tie));
            checkAgainstReference(Math.nextDown(tie));
            checkAgainstReference((float) low);
        }
    }

    @Test
    void sampledFloatsOfEveryMagnitudeRoundToNearestEven() {
        // A stride prime to 2^32 visits every exponent and many mantissas.
        long stride = 4_099;
        for (long raw = 0; raw <= 0xffffffffL; raw += stride) {
            checkAgainstReference(Float.intBitsToFloat((int) raw));
        }
        SplittableRandom random = new SplittableRandom(20261128L);
        for (int i = 0; i < 1_000_000; i++) {
            checkAgainstReference(Float.intBitsToFloat(random.nextInt()));
            // Concentrate on the half range, including subnormals.
            checkAgainstReference(
                    (float) ((random.nextDouble() * 2 - 1) * Math.pow(2, random.nextInt(-26, 17))));
        }
    }

    @Test
    void specialValues() {
        assertThat(Half.fromFloat(0f)).isEqualTo((short) 0);
        assertThat(Half.fromFloat(-0f)).isEqualTo((short) 0x8000);
        assertThat(Half.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
        assertThat(Half.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(Half.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(Half.fromFloat(65519.99f)).isEqualTo((short) 0x7bff);
        assertThat(Half.fromFloat(65520f)).isEqualTo((short) 0x7c00);
        assertThat(Half.fromFloat(1e9f)).isEqualTo((short) 0x7c00);
        assertThat(Half.fromFloat(0x1p-24f)).isEqualTo((short) 1);
        assertThat(Half.fromFloat(0x1p-25f)).isEqualTo((short) 0);
        assertThat(Half.fromFloat(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
        assertThat(Half.fromFloat(0x1p-14f)).isEqualTo((short) 0x0400);
        assertThat(Half.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Half.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(Half.fromFloat(1f + 0x1p-11f + 0x1p-20f)).isEqualTo((short) 0x3c01);
        assertThat(Half.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN)))).isTrue();
        // A NaN whose payload lives only in the low mantissa bits must stay a NaN.
        assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(Float.intBitsToFloat(0x7f800001)))))
                .isTrue();
    }

    private static void checkAgainstReference(float value) {
        short actual = Half.fromFloat(value);
        if (Float.isNaN(value)) {
            assertThat(Float.isNaN(Half.toFloat(actual))).as("NaN %s", value).isTrue();
            return;
        }
        int expected = referenceFromFloat(value);
        assertThat(actual & 0xffff)
                .as("half of %s (bits %08x)", value, Float.floatToRawIntBits(value))
                .isEqualTo(expected);
    }

    /** Nearest half by search; ties go to the even bit pattern; beyond 65520 is infinity. */
    private static int referenceFromFloat(float value) {
        int sign = Float.floatToRawIntBits(value) < 0 ? 0x8000 : 0;
        double magnitude = Math.abs((double) value);
        if (Double.isInfinite(magnitude) || magnitude >= 65520.0) {
            return sign | POSITIVE_INFINITY;
        }
        int index = Arrays.binarySearch(positiveValues, magnitude);
        if (index >= 0) {
            return sign | index;
        }
        int above = -index - 1;
        int below = above - 1;
        double upper = above == POSITIVE_INFINITY ? 65536.0 : positiveValues[above];
        double downDistance = magnitude - positiveValues[below];
        double upDistance = upper - magnitude;
        int chosen;
        if (downDistance < upDistance) {
            chosen = below;
        } else if (upDistance < downDistance) {
            chosen = above;
        } else {
            chosen = (below & 1) == 0 ? below : above;
        }
        return sign | chosen;
    }

    /** (-1)^s * 2^(e-15) * (1 + m/1024), or 2^-14 * m/1024 for subnormals; infinity at e=31. */
    private static double referenceValue(int bits) {
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        double sign = (bits & 0x8000) != 0 ? -1 : 1;
        if (exponent == 0x1f) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (exponent == 0) {
            return sign * Math.scalb(mantissa / 1024.0, -14);
        }
        return sign * Math.scalb(1 + mantissa / 1024.0, exponent - 15);
    }
}
