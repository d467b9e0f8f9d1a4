package io.inctrlstream.launcher.images;

/** The kinds of product the simulated cameras film, each with the category given to the model. */
public enum Product {
    /** A machined metal plate with a central boss and four bolts, on a conveyor belt. */
    METAL_PART("metal_nut"),
    /** A printed label (logo, title, text, barcode, code block) on a cardboard box. */
    PRINTED_LABEL("label"),
    /** A populated circuit board: traces, chips, capacitors and resistors. */
    CIRCUIT_BOARD("pcb");

    private final String category;

    Product(String category) {
        this.category = category;
    }

    /** The product category for the model's text prior, e.g. {@code metal_nut}. */
    public String category() {
        return category;
    }
}
