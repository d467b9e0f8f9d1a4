package io.inctrlstream.job.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.inctrlstream.job.RecordingMetricGroup;
import io.inctrlstream.job.TestImages;
import io.inctrlstream.job.TinyBundle;
import io.inctrlstream.job.engine.internal.SharedEngines;
import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImageFailure;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.InferenceBackendFailedException;
import io.inctrlstream.job.inference.NonRetryableInferenceException;
import io.inctrlstream.job.inference.ScoreValues;
import io.inctrlstream.job.inference.ScoringRequest;
import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ShotBankCodec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine backend on the tiny bundle: banks, scores, heatmaps and image failures. */
class EngineInferenceBackendTest {
    private static final int SIDE = 64;
    private static final ImagePayload SHOT_A = png(TestImages.png(SIDE, SIDE, 40, false));
    private static final ImagePayload SHOT_B =
            new ImagePayload(
                    ImageEncoding.JPEG, SIDE, SIDE, TestImages.jpeg(SIDE, SIDE, 50, false));
    private static final ImagePayload SHOT_C = png(TestImages.png(SIDE, SIDE, 60, false));
    private static final ImagePayload GOOD = png(TestImages.png(SIDE, SIDE, 45, false));
    private static final ImagePayload DEFECT = png(TestImages.png(SIDE, SIDE, 45, true));

    private static RecordingMetricGroup metrics;
    private static EngineInferenceBackend backend;

    @BeforeAll
    static void openBackend() throws Exception {
        metrics = new RecordingMetricGroup();
        backend =
                EngineInferenceBackend.open(
                        EngineBackendSettings.builder(TinyBundle.DIRECTORY.toString()).build(),
                        metrics);
    }

    @AfterAll
    static void closeBackend() {
        backend.close();
    }

    private static ImagePayload png(byte[] data) {
        return new ImagePayload(ImageEncoding.PNG, SIDE, SIDE, data);
    }

    private static BuiltBank bank(byte[] base, List<ImagePayload> shots, String category)
            throws Exception {
        return backend.buildBank(new BankBuildRequest("line-1", base, shots, category));
    }

    private static List<FrameScoreResult> score(
            BuiltBank bank, long version, double threshold, ImagePayload... frames)
            throws Exception {
        ShotBankRef ref = new ShotBankRef("line-1", version, bank.bytes());
        List<ScoringRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
            requests.add(new ScoringRequest("line-1", "f" + i, ref, frames[i], threshold));
        }
        return backend.scoreBatch(requests);
    }

    @Test
    void scoresFramesAgainstABankWithTheBundlesPatchGrid() throws Exception {
        BuiltBank bank = bank(null, List.of(SHOT_A, SHOT_B), "candle");
        assertThat(bank.shotCount()).isEqualTo(2);
        assertThat(ShotBankCodec.decode(bank.bytes()).category()).isEqualTo("candle");

        List<FrameScoreResult> results = score(bank, 1, Double.POSITIVE_INFINITY, GOOD, DEFECT);

        assertThat(results).hasSize(2).allSatisfy(result -> assertThat(result.isScored()).isTrue());
        int patches = backend.manifest().vision().patches();
        for (FrameScoreResult result : results) {
            assertThat(result.values().patchMap()).hasSize(patches);
            assertThat(result.values().finalScore()).isBetween(0f, 1f);
            assertThat(result.values().heatmapPng()).as("nothing at or above +inf").isNull();
            assertThat(result.values().bankHash())
                    .isEqualTo(ShotBankCodec.decode(bank.bytes()).contentHash());
        }
        assertThat(metrics.gaugeValue("model." + backend.modelId() + ".device.CPU.info"))
                .as("model id and device as the labels of an info metric")
                .isEqualTo(1);
        assertThat(metrics.has("modelId")).as("no string gauge").isFalse();
    }

    @Test
    void rendersTheHeatmapOverTheModelInputOnlyAtOrAboveTheThreshold() throws Exception {
        BuiltBank bank = bank(null, List.of(SHOT_A), null);
        float score = score(bank, 1, Double.POSITIVE_INFINITY, DEFECT).get(0).values().finalScore();

        FrameScoreResult atThreshold = score(bank, 1, score, DEFECT).get(0);
        FrameScoreResult aboveScore = score(bank, 1, Math.nextUp(score), DEFECT).get(0);

        assertThat(aboveScore.values().heatmapPng()).isNull();
        BufferedImage heatmap =
                ImageIO.read(new ByteArrayInputStream(atThreshold.values().heatmapPng()));
        assertThat(heatmap.getWidth()).isEqualTo(backend.manifest().preprocess().imageSize());
        assertThat(heatmap.getHeight()).isEqualTo(backend.manifest().preprocess().imageSize());
    }

    @Test
    void addingShotsToABankEqualsBuildingItWithAllShots() throws Exception {
        BuiltBank base = bank(null, List.of(SHOT_A, SHOT_B), "candle");
        BuiltBank extended = bank(base.bytes(), List.of(SHOT_C), "candle");
        BuiltBank direct = bank(null, List.of(SHOT_A, SHOT_B, SHOT_C), "candle");
        assertThat(extended.shotCount()).isEqualTo(3);

        List<FrameScoreResult> viaExtension = score(extended, 2, 1.0, GOOD, DEFECT);
        List<FrameScoreResult> viaDirect = score(direct, 3, 1.0, GOOD, DEFECT);

        for (int i = 0; i < 2; i++) {
            assertThat(viaExtension.get(i).values().finalScore())
                    .isCloseTo(viaDirect.get(i).values().finalScore(), within(1e-5f));
            assertThat(viaExtension.get(i).values().imageScore())
                    .isCloseTo(viaDirect.get(i).values().imageScore(), within(1e-5f));
        }
    }

    @Test
    void changingTheCategoryOfABankEqualsBuildingItForThatCategory() throws Exception {
        BuiltBank candle = bank(null, List.of(SHOT_A, SHOT_B), "candle");
        BuiltBank recategorized = bank(candle.bytes(), List.of(), "screw");
        BuiltBank direct = bank(null, List.of(SHOT_A, SHOT_B), "screw");
        assertThat(ShotBankCodec.decode(recategorized.bytes()).category()).isEqualTo("screw");

        float viaChange = score(recategorized, 2, 1.0, DEFECT).get(0).values().textScore();
        float viaDirect = score(direct, 3, 1.0, DEFECT).get(0).values().textScore();
        float candleText = score(candle, 1, 1.0, DEFECT).get(0).values().textScore();

        assertThat(viaChange).isCloseTo(viaDirect, within(1e-5f));
        assertThat(viaChange).as("the text prior follows the category").isNotEqualTo(candleText);
    }

    @Test
    void batchesPreparedAheadOfTheirCallScoreExactlyAsBatchesPreparedWhenCalled() throws Exception {
        BuiltBank bank = bank(null, List.of(SHOT_A, SHOT_B), null);
        ShotBankRef ref = new ShotBankRef("line-1", 1, bank.bytes());
        ImagePayload corrupt =
                new ImagePayload(
                        ImageEncoding.JPEG, SIDE, SIDE, TestImages.corruptJpeg(SIDE, SIDE));
        List<ScoringRequest> first = new java.util.ArrayList<>();
        List<ScoringRequest> second = new java.util.ArrayList<>();
        ImagePayload[] frames = {GOOD, DEFECT, corrupt, DEFECT, GOOD};
        for (int i = 0; i < frames.length; i++) {
            (i < 2 ? first : second)
                    .add(new ScoringRequest("line-1", "f" + i, ref, frames[i], 0.0));
        }
        List<FrameScoreResult> expected = new java.util.ArrayList<>(backend.scoreBatch(first));
        expected.addAll(backend.scoreBatch(second));

        // As the dedicated thread sees them: both announced, then scored in turn.
        backend.batchSubmitted(first);
        backend.batchSubmitted(second);
        List<FrameScoreResult> ahead = new java.util.ArrayList<>(backend.scoreBatch(first));
        ahead.addAll(backend.scoreBatch(second));

        assertThat(ahead).hasSize(5);
        assertThat(ahead.get(2).failureReason()).startsWith("IMAGE_CORRUPT: ");
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).isScored()) {
                assertThat(ahead.get(i).values().finalScore())
                        .isEqualTo(expected.get(i).values().finalScore());
                assertThat(ahead.get(i).values().patchMap())
                        .isEqualTo(expected.get(i).values().patchMap());
                assertThat(ahead.get(i).values().heatmapPng())
                        .isEqualTo(expected.get(i).values().heatmapPng());
            } else {
                assertThat(ahead.get(i).failureReason()).isEqualTo(expected.get(i).failureReason());
            }
        }
    }

    @Test
    void aFrameThatDoesNotDecodeFailsAloneWithTheDecodersReason() throws Exception {
        BuiltBank bank = bank(null, List.of(SHOT_A), null);
        long before = metrics.count("imageFailureReason.IMAGE_CORRUPT.imageFailures");
        ImagePayload corrupt =
                new ImagePayload(
                        ImageEncoding.JPEG, SIDE, SIDE, TestImages.corruptJpeg(SIDE, SIDE));
        ImagePayload bomb = png(TestImages.pngHeaderBomb(50_000, 50_000));

        List<FrameScoreResult> results = score(bank, 1, 1.0, GOOD, corrupt, bomb, DEFECT);

        assertThat(results.get(0).isScored()).isTrue();
        assertThat(results.get(1).failureReason()).startsWith("IMAGE_CORRUPT: ");
        assertThat(results.get(1).imageFailure()).isEqualTo(ImageFailure.IMAGE_CORRUPT);
        assertThat(results.get(2).failureReason()).startsWith("IMAGE_TOO_LARGE: ");
        assertThat(results.get(2).imageFailure()).isEqualTo(ImageFailure.IMAGE_TOO_LARGE);
        assertThat(results.get(3).isScored()).isTrue();
        assertThat(results.get(3).imageFailure()).isNull();
        assertThat(metrics.count("imageFailureReason.IMAGE_CORRUPT.imageFailures"))
                .isEqualTo(before + 1);
    }

    @Test
    void aBankThatDoesNotDecodeFailsItsFrames() throws Exception {
        BuiltBank bank = bank(null, List.of(SHOT_A), null);
        byte[] broken = bank.bytes().clone();
        broken[broken.length / 2] ^= 0x55;

        List<FrameScoreResult> results = score(new BuiltBank(broken, 1), 7, 1.0, GOOD);

        assertThat(results.get(0).failureReason()).startsWith("SHOT_BANK_CORRUPT: ");
    }

    @Test
    void aShotThatDoesNotDecodeRejectsTheBankBuild() {
        ImagePayload truncated = png(TestImages.truncatedPng(SIDE, SIDE));

        assertThatThrownBy(() -> bank(null, List.of(SHOT_A, truncated), null))
                .isInstanceOf(NonRetryableInferenceException.class)
                .hasMessageStartingWith("shot image 1: IMAGE_CORRUPT: ");
    }

    @Test
    void aMissingBundleIsAModelExceptionNamingIt(@TempDir Path empty) {
        EngineBackendSettings settings = EngineBackendSettings.builder(empty.toString()).build();

        assertThatThrownBy(() -> new EngineInferenceBackendFactory(settings).modelId())
                .isInstanceOfSatisfying(
                        ModelException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(ModelException.Reason.BUNDLE_FILE_MISSING))
                .hasMessage("manifest.json is missing in " + empty.toAbsolutePath());
        assertThatThrownBy(() -> EngineInferenceBackend.open(settings, null))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("manifest.json is missing in " + empty.toAbsolutePath());
    }

    /**
     * Frames that may need a heatmap (threshold at most 1) are cropped to the model input right
     * after decoding and their tensor computed from the crop; the others are preprocessed whole.
     * Both give the same scores, bit for bit, for every kind of image.
     */
    @Test
    void framesCroppedEarlyScoreExactlyAsFramesPreprocessedWhole() throws Exception {
        BuiltBank bank = bank(null, List.of(SHOT_A, SHOT_B), null);
        BufferedImage translucent = new BufferedImage(97, 61, BufferedImage.TYPE_INT_ARGB);
        BufferedImage palette = new BufferedImage(61, 97, BufferedImage.TYPE_BYTE_INDEXED);
        for (int y = 0; y < 61; y++) {
            for (int x = 0; x < 61; x++) {
                translucent.setRGB(x, y, ((x * 4) << 24) | (y * 4 << 8) | 0x30);
                palette.setRGB(y, x, (x * 4 << 16) | (y * 3 << 8));
            }
        }
        ImagePayload[] frames = {
            new ImagePayload(ImageEncoding.PNG, 97, 61, TestImages.write(translucent, "png")),
            new ImagePayload(ImageEncoding.PNG, 61, 97, TestImages.write(palette, "png")),
            new ImagePayload(ImageEncoding.JPEG, 320, 200, TestImages.jpeg(320, 200, 70, true)),
            new ImagePayload(ImageEncoding.RGB8, 50, 90, TestImages.rgb8(50, 90, 90, true)),
            new ImagePayload(ImageEncoding.GRAY8, 240, 240, new byte[240 * 240]),
            DEFECT
        };

        List<FrameScoreResult> whole = score(bank, 1, Double.POSITIVE_INFINITY, frames);
        List<FrameScoreResult> cropped = score(bank, 1, 0.0, frames);

        for (int i = 0; i < frames.length; i++) {
            ScoreValues expected = whole.get(i).values();
            ScoreValues actual = cropped.get(i).values();
            assertThat(actual.finalScore()).as("frame %d", i).isEqualTo(expected.finalScore());
            assertThat(actual.imageScore()).as("frame %d", i).isEqualTo(expected.imageScore());
            assertThat(actual.patchMap()).as("frame %d", i).containsExactly(expected.patchMap());
            assertThat(expected.heatmapPng()).isNull();
            assertThat(actual.heatmapPng()).as("rendered from the crop").isNotNull();
        }
    }

    @Test
    void aBrokenSessionTellsTheOperatorToRecreateTheBackend() throws Exception {
        ModelException broken =
                new ModelException(
                        ModelException.Reason.SESSION_BROKEN,
                        "graph image_encoder failed to run: CUDA failure 700");
        ModelException ordinary =
                new ModelException(ModelException.Reason.INFERENCE_FAILED, "graph failed");
        EngineBackendSettings settings =
                EngineBackendSettings.builder(TinyBundle.DIRECTORY.toString())
                        .intraOpThreads(1)
                        .build();
        SharedEngines engines = SharedEngines.instance();
        int before = engines.openEngines();
        try (EngineInferenceBackend first = EngineInferenceBackend.open(settings, null);
                EngineInferenceBackend second = EngineInferenceBackend.open(settings, null)) {
            assertThat(engines.openEngines()).as("one engine for both").isEqualTo(before + 1);
            assertThat(first.brokenSessionOr(ordinary)).isSameAs(ordinary);
            assertThat(first.brokenSessionOr(broken))
                    .isInstanceOf(InferenceBackendFailedException.class)
                    .hasMessage(
                            "the model's ONNX Runtime session is broken: SESSION_BROKEN: graph"
                                    + " image_encoder failed to run: CUDA failure 700")
                    .hasCause(broken);
            try (EngineInferenceBackend reopened = EngineInferenceBackend.open(settings, null)) {
                assertThat(engines.openEngines())
                        .as("the broken engine is not handed out again")
                        .isEqualTo(before + 2);
                assertThat(second.scoreBatch(List.of()))
                        .as("the retired engine still serves its users until they close")
                        .isEmpty();
            }
        }
        assertThat(engines.openEngines()).as("all closed with their last user").isEqualTo(before);
    }

    /**
     * Two slots of a TaskManager with the job's CUDA options open one engine between them (one set
     * of sessions, one GPU memory budget; "2g" and "2048m" are the same limit); where there is no
     * CUDA, that engine has fallen back to the CPU.
     */
    @Test
    void twoSlotsWithTheSameCudaOptionsShareOneEngine() throws Exception {
        EngineBackendSettings settings =
                EngineBackendSettings.from(
                        Configuration.fromMap(
                                Map.of(
                                        "inctrl.model.bundle", TinyBundle.DIRECTORY.toString(),
                                        "inctrl.model.device", "CUDA",
                                        "inctrl.model.cuda-device-id", "0",
                                        "inctrl.model.cuda-memory-limit", "2g",
                                        "inctrl.model.intra-op-threads", "1")));
        SharedEngines engines = SharedEngines.instance();
        int before = engines.openEngines();
        try (EngineInferenceBackend slot1 = EngineInferenceBackend.open(settings, null);
                EngineInferenceBackend slot2 =
                        EngineInferenceBackend.open(
                                EngineBackendSettings.from(
                                        Configuration.fromMap(
                                                Map.of(
                                                        "inctrl.model.bundle",
                                                        TinyBundle.DIRECTORY.toString(),
                                                        "inctrl.model.device",
                                                        "CUDA",
                                                        "inctrl.model.cuda-memory-limit",
                                                        "2048m",
                                                        "inctrl.model.intra-op-threads",
                                                        "1"))),
                                null)) {
            assertThat(engines.openEngines()).as("one engine for both slots").isEqualTo(before + 1);
            assertThat(slot2.modelId()).isEqualTo(slot1.modelId());
        }
        assertThat(engines.openEngines()).isEqualTo(before);
    }
}
