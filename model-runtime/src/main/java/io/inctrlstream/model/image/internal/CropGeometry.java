package io.inctrlstream.model.image.internal;

/**
 * Where torchvision's {@code Resize(size)} followed by {@code CenterCrop(size)} puts an image of a
 * given size: the resized size (shorter side = {@code size}, longer side {@code int(size * long /
 * short)} as torchvision computes it) and the crop's top-left corner ({@code int(round((d - size) /
 * 2.0))} with Python's round, i.e. halves round to even).
 */
public record CropGeometry(int resizedWidth, int resizedHeight, int left, int top, int size) {

    /** The geometry for an image of {@code width x height} and a square model input. */
    public static CropGeometry of(int width, int height, int size) {
        if (width <= 0 || height <= 0 || size <= 0) {
            throw new IllegalArgumentException(
                    "sizes must be positive, found " + width + "x" + height + " -> " + size);
        }
        int resizedWidth;
        int resizedHeight;
        if (width <= height) {
            resizedWidth = size;
            resizedHeight = (int) ((double) ((long) size * height) / width);
        } else {
            resizedHeight = size;
            resizedWidth = (int) ((double) ((long) size * width) / height);
        }
        int left = (int) Math.rint((resizedWidth - size) / 2.0);
        int top = (int) Math.rint((resizedHeight - size) / 2.0);
        return new CropGeometry(resizedWidth, resizedHeight, left, top, size);
    }
}
