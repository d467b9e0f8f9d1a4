package io.inctrlstream.job.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.TinyBundle;
import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.engine.EngineInferenceBackendFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model switch with the real engine: lines set up under the tiny bundle, restored under a copy
 * of it that names another version (so another model id, as an int8 or fp16 copy would). Without
 * the rebuild from the stored shots, the engine refuses the old model's banks and every frame of
 * every line is FAILED (SHOT_BANK_MISMATCH) until its shots are set again.
 */
@Timeout(60)
class LineInferenceModelSwitchEngineTest {
    private static final int SIDE = 96;

    private static ImagePayload png(int grey, boolean defect) {
        return new ImagePayload(
                ImageEncoding.PNG, SIDE, SIDE, TestImages.png(SIDE, SIDE, grey, defect));
    }

    /** The tiny bundle with model.version "2": the same graphs under another model id. */
    private static Path versionTwo(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(TinyBundle.DIRECTORY)) {
            for (Path file : files.toList()) {
                Files.copy(file, directory.resolve(file.getFileName().toString()));
            }
        }
        Path manifest = directory.resolve("manifest.json");
        String json = Files.readString(manifest, StandardCharsets.UTF_8);
        String renamed = json.replace("\"version\": \"1\"", "\"version\": \"2\"");
        assertThat(renamed).as("the manifest names version 1 once").isNotEqualTo(json);
        Files.writeString(manifest, renamed, StandardCharsets.UTF_8);
        return directory;
    }

    @Test
    void linesKeepScoringAfterTheJobIsRestoredUnderAnotherModel(@TempDir Path directory)
            throws Exception {
        InferenceOperatorConfig config =
                InferenceOperatorConfig.builder()
                        .maxBatchSize(1)
                        .maxBatchWait(Duration.ofMillis(1))
                        .build();
        EngineInferenceBackendFactory one =
                new EngineInferenceBackendFactory(
                        EngineBackendSettings.builder(TinyBundle.DIRECTORY.toString()).build());
        EngineInferenceBackendFactory two =
                new EngineInferenceBackendFactory(
                        EngineBackendSettings.builder(versionTwo(directory).toString()).build());
        assertThat(two.modelId()).isNotEqualTo(one.modelId());

        OperatorSubtaskState snapshot;
        try (OperatorHarness harness =
                OperatorHarness.open(
                        config, one, null, LineStateConfig.builder(one.modelId()).build())) {
            harness.process(
                    LineInput.of(
                            LineCommand.setShots(
                                    TestInputs.header("line-a", "shots"),
                                    List.of(png(40, false), png(50, false)),
                                    null)));
            harness.runMailsUntil(() -> harness.outputs().size() == 1);
            assertThat(harness.outcomes().get(0).status()).isEqualTo(CommandStatus.APPLIED);
            snapshot = harness.snapshot(1L);
        }

        try (OperatorHarness harness =
                OperatorHarness.open(
                        config, two, snapshot, LineStateConfig.builder(two.modelId()).build())) {
            harness.process(
                    LineInput.of(
                            new FrameToScore("line-a", "camera-1", "f1", 1_000L, png(45, false))));
            harness.runMailsUntil(() -> harness.outputs().size() == 1);
            FrameScore f1 = harness.score("f1");
            assertThat(f1.status()).as(String.valueOf(f1)).isEqualTo(ScoreStatus.SCORED);
            assertThat(harness.lineStates()).as("the rebuilt bank's line state").hasSize(1);
        }
    }
}
