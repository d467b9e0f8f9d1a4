package io.inctrlstream.model;

/**
 * How {@link ShotBankCodec} stores a shot bank's patch bank: fp32 (exact) or IEEE fp16 (half the
 * bytes, round to nearest even; decoded back to fp32, which shifts the scores slightly). The small
 * parts of a bank (a_s, the text prototypes) are always stored in fp32.
 */
public enum BankPrecision {
    FP32,
    FP16
}
