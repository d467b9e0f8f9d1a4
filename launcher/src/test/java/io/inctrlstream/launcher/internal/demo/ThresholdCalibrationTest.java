package io.inctrlstream.launcher.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.internal.BundleLocator;
import io.inctrlstream.launcher.internal.OfflineScorer;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.ScoreResult;
import io.inctrlstream.model.image.ImageEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdCalibrationTest {

    @Test
    void calibratedThresholdIsAboveEveryGoodFrameOfTheLine() throws Exception {
        DemoLine line = DemoLine.create(0, 42);
        try (OfflineScorer scorer = OfflineScorer.open(BundleLocator.tinyBundle(), Device.CPU)) {
            double threshold =
                    ThresholdCalibration.threshold(
                            scorer, line.shots(4), line.calibrationFrames(8), line.category());

            List<ScoreResult> live =
                    scorer.score(
                            scorer.bank(
                                    List.of(
                                            scorer.decode(ImageEncoding.PNG, line.shots(4).get(0)),
                                            scorer.decode(ImageEncoding.PNG, line.shots(4).get(1)),
                                            scorer.decode(ImageEncoding.PNG, line.shots(4).get(2)),
                                            scorer.decode(ImageEncoding.PNG, line.shots(4).get(3))),
                                    line.category()),
                            List.of(
                                    scorer.decode(
                                            ImageEncoding.PNG, line.liveFrame(0, Defect.NONE)),
                                    scorer.decode(
                                            ImageEncoding.PNG, line.liveFrame(1, Defect.NONE))));

            assertThat(threshold).isBetween(0.0, 0.99);
            for (ScoreResult result : live) {
                assertThat((double) result.finalScore()).isLessThan(threshold);
            }
        }
    }
}
