package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.ImagePayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shot images a line's bank was built from, and the model that built it (keyed state {@code
 * line-shot-images}, serialized by {@link ShotImagesSerializer}). Kept so that a job restored from
 * a checkpoint of another model (a new bundle: fp32 to int8 or fp16, a new version) rebuilds each
 * line's bank from its own shots instead of failing every frame with a bank of the wrong model.
 *
 * @param modelId the model whose bank these images built
 * @param images the shots, in the bank's order; never empty
 */
record ShotImages(String modelId, List<ImagePayload> images) {
    ShotImages {
        Objects.requireNonNull(modelId, "modelId");
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a line's shot images cannot be empty");
        }
    }

    /** These images followed by {@code more}, for the bank {@code modelId} built from them all. */
    ShotImages plus(List<ImagePayload> more, String modelId) {
        List<ImagePayload> all = new ArrayList<>(images);
        all.addAll(more);
        return new ShotImages(modelId, all);
    }

    /** The same images, for a bank of {@code otherModelId}. */
    ShotImages forModel(String otherModelId) {
        return new ShotImages(otherModelId, images);
    }
}
