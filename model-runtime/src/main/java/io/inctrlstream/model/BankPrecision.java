package io.inctrlstream.model;

/**
 * How {@link ShotBankCodec} stores a shot bank's patch bank and shot adapted mean: fp32 (exact) or
 * IEEE fp16 (half the bytes, round to nearest even; decoded back to fp32, which shifts the scores
 * slightly).
 */
public enum BankPrecision {
    FP32,
    FP16
}
