package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.eval.ThresholdSuggestion;
import io.inctrlstream.launcher.internal.OfflineScorer;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.ScoreResult;
import io.inctrlstream.model.ShotBank;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.ImageEncoding;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks a line's threshold the way an operator would on commissioning a station: score a few good
 * parts against the shots and put the threshold just above the highest of them, with a margin as
 * wide as their spread ({@link ThresholdSuggestion#aboveGoodScores}, as {@code inctrl threshold
 * suggest --good} does).
 */
final class ThresholdCalibration {
    private ThresholdCalibration() {}

    /** The threshold for the line with these shots and good frames (PNG files). */
    static double threshold(
            OfflineScorer scorer, List<byte[]> shots, List<byte[]> goodFrames, String category)
            throws ModelException {
        ShotBank bank = scorer.bank(decode(scorer, shots), category);
        List<ScoreResult> results = scorer.score(bank, decode(scorer, goodFrames));
        return ThresholdSuggestion.aboveGoodScores(
                results.stream().mapToDouble(ScoreResult::finalScore).toArray());
    }

    private static List<DecodedImage> decode(OfflineScorer scorer, List<byte[]> pngs)
            throws ModelException {
        List<DecodedImage> images = new ArrayList<>(pngs.size());
        for (byte[] png : pngs) {
            images.add(scorer.decode(ImageEncoding.PNG, png));
        }
        return images;
    }
}
