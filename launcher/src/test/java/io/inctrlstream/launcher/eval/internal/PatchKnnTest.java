package io.inctrlstream.launcher.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.inctrlstream.model.ImageFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchKnnTest {

    /** 2 taps, 2 patches, width 2: tokens [tap][patch][channel]. */
    private static ImageFeatures features(float... tokens) {
        return ImageFeatures.of(2, 2, 2, tokens, new float[] {1}, new float[] {1});
    }

    @Test
    void nearestShotPatchDistanceAveragedOverTapsMaxOverPatches() {
        ImageFeatures shot1 = features(0, 0, 1, 0, /* tap 2 */ 0, 0, 0, 1);
        ImageFeatures shot2 = features(3, 4, 5, 5, /* tap 2 */ 2, 0, 2, 2);
        ImageFeatures query = features(0, 1, 3, 0, /* tap 2 */ 0, 0, 2, 1);
        // Tap 1: patch (0,1) nearest (0,0) or (1,0): 1; patch (3,0) nearest (1,0): 2.
        // Tap 2: patch (0,0) nearest (0,0): 0; patch (2,1) nearest (2,0) or (2,2): 1.
        // Map: (1 + 0) / 2 = 0.5 and (2 + 1) / 2 = 1.5; score 1.5.
        PatchKnn knn = new PatchKnn(List.of(shot1, shot2));
        assertThat(knn.score(query)).isCloseTo(1.5, within(1e-9));
        assertThat(knn.score(shot2)).isCloseTo(0, within(1e-9));
    }

    @Test
    void refusesFeaturesOfOtherDimensions() {
        PatchKnn knn = new PatchKnn(List.of(features(0, 0, 0, 0, 0, 0, 0, 0)));
        ImageFeatures other =
                ImageFeatures.of(1, 2, 2, new float[4], new float[] {1}, new float[] {1});
        assertThatThrownBy(() -> knn.score(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "expected features of 2 taps, 2 patches and width 2, found");
        assertThatThrownBy(() -> new PatchKnn(List.of()))
                .hasMessage("patch-kNN needs at least one shot, found none");
    }
}
