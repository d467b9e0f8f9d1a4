package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.ImagePayload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Serializer of a line's {@link ShotImages} (keyed state {@code line-shot-images}). Format 1: the
 * model id (Flink string), int image count, then each image as the pending-input format writes one
 * (encoding name, int width, int height, int length and the bytes).
 */
public final class ShotImagesSerializer extends StateSerializer<ShotImages> {
    private static final long serialVersionUID = 1L;

    /** More shots than any line may hold is a corrupt record. */
    static final int MAX_IMAGES = 1 << 16;

    static final ShotImagesSerializer INSTANCE = new ShotImagesSerializer();

    @Override
    protected int formatVersion() {
        return 1;
    }

    @Override
    public ShotImages createInstance() {
        return null;
    }

    @Override
    public void serialize(ShotImages shots, DataOutputView out) throws IOException {
        StringValue.writeString(shots.modelId(), out);
        out.writeInt(shots.images().size());
        for (ImagePayload image : shots.images()) {
            PendingInputSerializer.writeImage(image, out);
        }
    }

    @Override
    public ShotImages deserialize(DataInputView in) throws IOException {
        String modelId = StringValue.readString(in);
        int count = in.readInt();
        if (count < 1 || count > MAX_IMAGES) {
            throw new IOException(
                    "corrupt shot images: " + count + " images, expected 1 to " + MAX_IMAGES);
        }
        List<ImagePayload> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(PendingInputSerializer.readImage(in));
        }
        return new ShotImages(modelId, images);
    }

    @Override
    public TypeSerializerSnapshot<ShotImages> snapshotConfiguration() {
        return new ShotImagesSerializerSnapshot();
    }

    /** The snapshot of {@link ShotImagesSerializer}: its format version. */
    public static final class ShotImagesSerializerSnapshot extends Snapshot<ShotImages> {
        public ShotImagesSerializerSnapshot() {
            super(INSTANCE);
        }
    }
}
