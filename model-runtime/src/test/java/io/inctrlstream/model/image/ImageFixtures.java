package io.inctrlstream.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The fixtures written by {@code model-runtime/python/fixtures/make_image_fixtures.py}: test images
 * and what Pillow made of them.
 */
final class ImageFixtures {
    private static final JsonNode INDEX = readIndex();

    private ImageFixtures() {}

    static int imageSize() {
        return INDEX.get("image_size").asInt();
    }

    /** The cases of one kind ("crop", "resize", "jpeg", "normalize"). */
    static List<JsonNode> cases(String kind) {
        List<JsonNode> cases = new ArrayList<>();
        for (JsonNode node : INDEX.get("cases")) {
            if (kind.equals(node.get("kind").asText())) {
                cases.add(node);
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException("no fixture of kind " + kind);
        }
        return cases;
    }

    static byte[] bytes(String name) {
        try (InputStream in = ImageFixtures.class.getResourceAsStream("/image/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource image/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An 8-bit RGB PNG written by Pillow, read with plain ImageIO (not the code under test) as
     * interleaved RGB.
     */
    static DecodedImage rgbPng(String name) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes(name)));
            Raster raster = image.getRaster();
            if (raster.getNumBands() != 3 || raster.getSampleModel().getSampleSize(0) != 8) {
                throw new IllegalStateException(name + " is not an 8-bit RGB PNG");
            }
            int[] samples =
                    raster.getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
            byte[] rgb = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                rgb[i] = (byte) samples[i];
            }
            return DecodedImage.ofRgb(image.getWidth(), image.getHeight(), rgb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readIndex() {
        try {
            return new ObjectMapper().readTree(bytes("fixtures.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
