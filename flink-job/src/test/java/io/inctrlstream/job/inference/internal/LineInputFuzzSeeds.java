package io.inctrlstream.job.inference.internal;

import static io.inctrlstream.job.TestRecords.command;
import static io.inctrlstream.job.TestRecords.encode;
import static io.inctrlstream.job.TestRecords.frame;
import static io.inctrlstream.job.TestRecords.image;

import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.TestRecords;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.SetCategory;
import io.inctrlstream.schema.SetShots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed corpus of {@link LineInputFuzzTest}: a frame of every image encoding and a command of
 * every action, all valid and applicable, on their topics; and a frame on another topic. Run {@link
 * #main} to write it again (see {@code docs/fuzzing.md}).
 */
public final class LineInputFuzzSeeds {
    /** Where Jazzer looks for the seeds of {@code everyRecordBecomesALineInputOrADeadLetter}. */
    static final String DIRECTORY =
            "src/test/resources/io/inctrlstream/job/inference/internal/LineInputFuzzTestInputs"
                    + "/everyRecordBecomesALineInputOrADeadLetter";

    private static final int WIDTH = 8;
    private static final int HEIGHT = 6;

    private LineInputFuzzSeeds() {}

    /** The seeds by file name; those named valid-* become a line input that can be applied. */
    static Map<String, FuzzedRecord> seeds() {
        Map<String, FuzzedRecord> seeds = new LinkedHashMap<>();
        byte[] rgb = TestImages.rgb8(WIDTH, HEIGHT, 128, false);
        byte[] gray = new byte[WIDTH * HEIGHT];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (byte) (i * 5);
        }
        FrameImage png =
                image(ImageEncoding.PNG, WIDTH, HEIGHT, TestImages.png(WIDTH, HEIGHT, 90, false));
        FrameImage jpeg =
                image(ImageEncoding.JPEG, WIDTH, HEIGHT, TestImages.jpeg(WIDTH, HEIGHT, 90, true));
        frameSeed(seeds, "valid-frame-rgb8", image(ImageEncoding.RGB8, WIDTH, HEIGHT, rgb));
        frameSeed(seeds, "valid-frame-gray8", image(ImageEncoding.GRAY8, WIDTH, HEIGHT, gray));
        frameSeed(seeds, "valid-frame-png", png);
        frameSeed(seeds, "valid-frame-jpeg", jpeg);

        commandSeed(
                seeds,
                "valid-command-set-shots",
                0,
                SetShots.newBuilder().setImages(List.of(png, jpeg)).setCategory("candle").build());
        commandSeed(seeds, "valid-command-add-shots", 2, TestRecords.addShots(List.of(png)));
        commandSeed(seeds, "valid-command-clear-shots", 3, TestRecords.clearShots());
        commandSeed(seeds, "valid-command-set-threshold", 0, TestRecords.setThreshold(0.25));
        commandSeed(
                seeds,
                "valid-command-set-category",
                0,
                SetCategory.newBuilder().setCategory("screw").build());
        commandSeed(
                seeds,
                "valid-command-set-alert-policy",
                0,
                TestRecords.setAlertPolicy(2, 5, 7_000));

        seeds.put(
                "frame-on-another-topic",
                new FuzzedRecord(
                        FuzzedRecord.OTHER_TOPIC,
                        0,
                        encode(frame(FuzzedRecord.LINE, "f-other", 0, png))));
        return seeds;
    }

    private static void frameSeed(Map<String, FuzzedRecord> seeds, String name, FrameImage image) {
        byte[] value = encode(frame(FuzzedRecord.LINE, "f-" + seeds.size(), 5, image));
        seeds.put(name, new FuzzedRecord(TestRecords.FRAMES, 0, value));
    }

    private static void commandSeed(
            Map<String, FuzzedRecord> seeds, String name, int existingShots, Object action) {
        byte[] value = encode(command(FuzzedRecord.LINE, "c-" + seeds.size(), action));
        seeds.put(name, new FuzzedRecord(TestRecords.CONTROL, existingShots, value));
    }

    /**
     * Writes the seeds into {@link #DIRECTORY} under the module directory given as the only
     * argument (default: the working directory).
     */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : ".").resolve(DIRECTORY);
        Files.createDirectories(directory);
        Map<String, FuzzedRecord> seeds = seeds();
        for (Map.Entry<String, FuzzedRecord> seed : seeds.entrySet()) {
            Files.write(directory.resolve(seed.getKey()), seed.getValue().toInput());
        }
        System.out.println("wrote " + seeds.size() + " seeds to " + directory);
    }
}
