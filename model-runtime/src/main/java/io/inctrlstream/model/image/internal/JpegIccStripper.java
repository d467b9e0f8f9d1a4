package io.inctrlstream.model.image.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Removes embedded ICC profiles (APP2 "ICC_PROFILE" segments) from a JPEG's header. The JDK's
 * decoder converts the pixels through an embedded profile; Pillow, whose pixels the model was
 * trained on, does not. Stripping the profile makes the JDK decode the file's own values.
 */
public final class JpegIccStripper {
    private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    private static final int APP2 = 0xE2;
    private static final int SOS = 0xDA;

    private JpegIccStripper() {}

    /**
     * The JPEG without its ICC segments, or {@code jpeg} itself when it has none or its header
     * cannot be walked (the decoder then reports what is wrong).
     */
    public static byte[] strip(byte[] jpeg) {
        if (!hasIccSegment(jpeg)) {
            return jpeg;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(jpeg, 0, 2);
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == SOS) {
                break;
            }
            int end = p + 2 + ((jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF));
            if (end > jpeg.length) {
                return jpeg;
            }
            if (!isIcc(jpeg, p, end)) {
                out.write(jpeg, p, end - p);
            }
            p = end;
        }
        out.write(jpeg, p, jpeg.length - p);
        return out.toByteArray();
    }

    private static boolean hasIccSegment(byte[] jpeg) {
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == SOS) {
                return false;
            }
            int end = p + 2 + ((jpeg[p + 2] & 0xFF) << 8 | (jpeg[p + 3] & 0xFF));
            if (end > jpeg.length) {
                return false;
            }
            if (isIcc(jpeg, p, end)) {
                return true;
            }
            p = end;
        }
        return false;
    }

    private static boolean isIcc(byte[] jpeg, int start, int end) {
        if ((jpeg[start + 1] & 0xFF) != APP2 || end - (start + 4) < ICC_ID.length) {
            return false;
        }
        for (int i = 0; i < ICC_ID.length; i++) {
            if (jpeg[start + 4 + i] != ICC_ID[i]) {
                return false;
            }
        }
        return true;
    }
}
