package io.inctrlstream.launcher.dataset;

/** The folder layouts {@link DatasetReader} reads. */
public enum DatasetLayout {
    /**
     * MVTec AD: {@code <category>/train/good/}, {@code <category>/test/good/}, {@code
     * <category>/test/<defect type>/}, optionally {@code <category>/ground_truth/<defect
     * type>/<name>_mask.png}; or one such category folder alone.
     */
    MVTEC_AD,
    /**
     * VisA's split files: a CSV with the header {@code object,split,label,image,mask} (as VisA's
     * {@code split_csv/1cls.csv}), image and mask paths relative to the dataset's root, label
     * {@code normal} or {@code anomaly}, split {@code train} or {@code test}.
     */
    VISA_SPLIT,
    /**
     * One category as two folders, {@code good/} and {@code defect/}: the shots are drawn from the
     * good images, and the others are the test images.
     */
    GOOD_AND_DEFECT
}
