package io.inctrlstream.model.internal;

/**
 * IEEE 754 binary16 ("half") conversions, bit-exact: float to half rounds to nearest, ties to even,
 * overflows to infinity, keeps NaN a NaN (quiet, upper payload bits kept) and produces subnormals;
 * half to float is exact. (Java 17 has no {@code Float.floatToFloat16}.)
 */
public final class Half {
    private static final int FLOAT_EXPONENT_BIAS = 127;
    private static final int HALF_EXPONENT_BIAS = 15;
    private static final int MANTISSA_SHIFT = 23 - 10;

    private Half() {}

    /** The half nearest to {@code value} (ties to even), as its 16 bits. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            if (mantissa == 0) {
                return (short) (sign | 0x7c00);
            }
            return (short) (sign | 0x7c00 | 0x200 | (mantissa >>> MANTISSA_SHIFT));
        }
        int halfExponent = exponent - FLOAT_EXPONENT_BIAS + HALF_EXPONENT_BIAS;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            // Below 2^-25 everything rounds to zero (2^-25 itself is a tie, and zero is even).
            if (halfExponent < -10) {
                return (short) sign;
            }
            int significand = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(significand, shift));
        }
        // A carry out of the mantissa correctly bumps the exponent, up to infinity.
        int unrounded = (halfExponent << 10) | (mantissa >>> MANTISSA_SHIFT);
        int rest = mantissa & ((1 << MANTISSA_SHIFT) - 1);
        return (short) (sign | roundUp(unrounded, rest, 1 << (MANTISSA_SHIFT - 1)));
    }

    /** The exact float value of a half given as its 16 bits. */
    public static float toFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << MANTISSA_SHIFT));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(magnitude));
        }
        return Float.intBitsToFloat(
                sign
                        | ((exponent - HALF_EXPONENT_BIAS + FLOAT_EXPONENT_BIAS) << 23)
                        | (mantissa << MANTISSA_SHIFT));
    }

    private static int roundShift(int significand, int shift) {
        int kept = significand >>> shift;
        int rest = significand & ((1 << shift) - 1);
        return roundUp(kept, rest, 1 << (shift - 1));
    }

    private static int roundUp(int kept, int rest, int halfway) {
        if (rest > halfway || (rest == halfway && (kept & 1) == 1)) {
            return kept + 1;
        }
        return kept;
    }
}
