package io.inctrlstream.launcher.images;

import java.util.List;

/** What can be wrong with a generated product image. */
public enum Defect {
    /** A good part. */
    NONE,
    /** A thin scratch across the part's surface. */
    SCRATCH,
    /** A dark stain or contamination spot. */
    SPOT,
    /** One of the part's components is not there. */
    MISSING_PART,
    /** One of the part's components is out of place. */
    SHIFTED_PART;

    /** Every defect except {@link #NONE}. */
    public static List<Defect> anomalies() {
        return List.of(SCRATCH, SPOT, MISSING_PART, SHIFTED_PART);
    }
}
