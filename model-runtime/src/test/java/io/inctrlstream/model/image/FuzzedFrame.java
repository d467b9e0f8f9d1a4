package io.inctrlstream.model.image;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How {@link ImageDecoderFuzzTest} reads a fuzzer input as a frame: one byte choosing the encoding,
 * the declared width and height as signed 16-bit big-endian numbers (so that zero, negative and
 * oversized values are a mutation away), then the image data. Missing header bytes read as zero.
 *
 * @param encoding how {@code data} is encoded
 * @param width the declared width
 * @param height the declared height
 * @param data the image bytes
 */
record FuzzedFrame(ImageEncoding encoding, int width, int height, byte[] data) {
    static final int HEADER_BYTES = 5;

    static FuzzedFrame parse(byte[] input) {
        ByteBuffer header = ByteBuffer.wrap(Arrays.copyOf(input, HEADER_BYTES));
        ImageEncoding[] encodings = ImageEncoding.values();
        ImageEncoding encoding = encodings[(header.get() & 0xFF) % encodings.length];
        int width = header.getShort();
        int height = header.getShort();
        byte[] data =
                input.length > HEADER_BYTES
                        ? Arrays.copyOfRange(input, HEADER_BYTES, input.length)
                        : new byte[0];
        return new FuzzedFrame(encoding, width, height, data);
    }

    /** The fuzzer input that {@link #parse} reads as this frame. */
    byte[] toInput() {
        return ByteBuffer.allocate(HEADER_BYTES + data.length)
                .put((byte) encoding.ordinal())
                .putShort((short) width)
                .putShort((short) height)
                .put(data)
                .array();
    }
}
