package io.inctrlstream.launcher.internal.demo;

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
 * wide as their spread (at least 0.01).
 */
final class ThresholdCalibration {
    static final double MIN_MARGIN = 0.01;
    static final double MAX_THRESHOLD = 0.99;

    private ThresholdCalibration() {}

    /** The threshold for the line with these shots and good frames (PNG files). */
    static double threshold(
            OfflineScorer scorer, List<byte[]> shots, List<byte[]> goodFrames, String category)
            throws ModelException {
        ShotBank bank = scorer.bank(decode(scorer, shots), category);
        List<ScoreResult> results = scorer.score(bank, decode(scorer, goodFrames));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (ScoreResult result : results) {
            min = Math.min(min, result.finalScore());
            max = Math.max(max, result.finalScore());
        }
        return fromNormalScores(min, max);
    }

    /** max + max(0.01, max - min), at most 0.99. */
    static double fromNormalScores(double min, double max) {
        return Math.min(MAX_THRESHOLD, max + Math.max(MIN_MARGIN, max - min));
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
