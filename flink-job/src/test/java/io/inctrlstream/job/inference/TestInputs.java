package io.inctrlstream.job.inference;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Short builders for test inputs. */
final class TestInputs {
    private TestInputs() {}

    /** An "image" whose bytes are its name, so that fake banks show which shots they hold. */
    static ImagePayload image(String name) {
        return new ImagePayload(ImageEncoding.PNG, 4, 4, name.getBytes(StandardCharsets.UTF_8));
    }

    static LineInput frame(String lineId, String frameId) {
        return LineInput.of(
                new FrameToScore(lineId, "camera-1", frameId, 1_000L, image("frame-" + frameId)));
    }

    /** A frame declaring {@code width} x {@code height} pixels. */
    static LineInput frame(String lineId, String frameId, int width, int height) {
        ImagePayload image =
                new ImagePayload(
                        ImageEncoding.PNG,
                        width,
                        height,
                        ("frame-" + frameId).getBytes(StandardCharsets.UTF_8));
        return LineInput.of(new FrameToScore(lineId, "camera-1", frameId, 1_000L, image));
    }

    /** Where a frame's record came from: frames topic, partition 2, the given offset. */
    static RecordProvenance provenance(String lineId, long offset) {
        return new RecordProvenance(
                "frames",
                2,
                offset,
                lineId.getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 2, 3},
                300,
                77L);
    }

    /** A frame that came from the record at {@code offset}. */
    static LineInput frameFromRecord(String lineId, String frameId, long offset) {
        return LineInput.of(
                frame(lineId, frameId).frame().withProvenance(provenance(lineId, offset)));
    }

    static LineCommand.CommandHeader header(String lineId, String commandId) {
        return new LineCommand.CommandHeader(commandId, lineId, 500L, "tester");
    }

    static LineInput setShots(String lineId, String commandId, String... shots) {
        return LineInput.of(LineCommand.setShots(header(lineId, commandId), images(shots), null));
    }

    static LineInput setShotsWithCategory(
            String lineId, String commandId, String category, String... shots) {
        return LineInput.of(
                LineCommand.setShots(header(lineId, commandId), images(shots), category));
    }

    static LineInput addShots(String lineId, String commandId, String... shots) {
        return LineInput.of(LineCommand.addShots(header(lineId, commandId), images(shots)));
    }

    static LineInput clearShots(String lineId, String commandId) {
        return LineInput.of(LineCommand.clearShots(header(lineId, commandId)));
    }

    static LineInput setThreshold(String lineId, String commandId, double threshold) {
        return LineInput.of(LineCommand.setThreshold(header(lineId, commandId), threshold));
    }

    static LineInput setCategory(String lineId, String commandId, String category) {
        return LineInput.of(LineCommand.setCategory(header(lineId, commandId), category));
    }

    static LineInput setAlertPolicy(String lineId, String commandId, AlertPolicy policy) {
        return LineInput.of(LineCommand.setAlertPolicy(header(lineId, commandId), policy));
    }

    static List<ImagePayload> images(String... names) {
        return Arrays.stream(names).map(TestInputs::image).collect(Collectors.toList());
    }

    /** "frame:<id>" for scores and "command:<id>" for outcomes, to compare output order. */
    static String describe(LineOutput output) {
        return output.isScore()
                ? "frame:" + output.score().frameId()
                : "command:" + output.outcome().commandId();
    }
}
