package io.inctrlstream.launcher.internal.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScoreTallyTest {
    @Test
    void everySentFrameScoredOnceIsExactlyOnce() {
        ScoreTally tally = new ScoreTally();
        for (long n = 0; n < 3; n++) {
            tally.sent("a", n);
            tally.scored("a", n, true);
        }
        tally.sent("b", 0);
        tally.scored("b", 0, true);

        assertThat(tally.counts())
                .isEqualTo(new ScoreTally.Counts(4, 0, 4, 0, 0, 0, 0))
                .satisfies(counts -> assertThat(counts.exactlyOnce()).isTrue());
    }

    @Test
    void aFrameWithoutAScoreIsMissing() {
        ScoreTally tally = new ScoreTally();
        tally.sent("a", 0);
        tally.sent("a", 1);
        tally.scored("a", 1, true);

        ScoreTally.Counts counts = tally.counts();
        assertThat(counts.missing()).isEqualTo(1);
        assertThat(counts.exactlyOnce()).isFalse();
    }

    @Test
    void aSecondScoreOfAFrameIsADuplicate() {
        ScoreTally tally = new ScoreTally();
        tally.sent("a", 0);
        tally.scored("a", 0, true);
        tally.scored("a", 0, true);
        tally.scored("a", 0, true);

        ScoreTally.Counts counts = tally.counts();
        assertThat(counts.scored()).isEqualTo(1);
        assertThat(counts.duplicates()).isEqualTo(2);
        assertThat(counts.missing()).isZero();
        assertThat(counts.exactlyOnce()).isFalse();
    }

    @Test
    void aScoreThatIsNotScoredFailsTheAccount() {
        ScoreTally tally = new ScoreTally();
        tally.sent("a", 0);
        tally.scored("a", 0, false);

        assertThat(tally.counts().notScored()).isEqualTo(1);
        assertThat(tally.counts().exactlyOnce()).isFalse();
    }

    @Test
    void scoresOfFramesNeverSentAreUnexpected() {
        ScoreTally tally = new ScoreTally();
        tally.scored("a", 5, true);
        tally.foreign();

        ScoreTally.Counts counts = tally.counts();
        assertThat(counts.unexpected()).isEqualTo(2);
        assertThat(counts.exactlyOnce()).isFalse();
    }

    @Test
    void framesKafkaRefusedAreCountedApartAndNotExpected() {
        ScoreTally tally = new ScoreTally();
        tally.sendFailed();
        tally.sent("a", 1);
        tally.scored("a", 1, true);

        ScoreTally.Counts counts = tally.counts();
        assertThat(counts.sendFailures()).isEqualTo(1);
        assertThat(counts.exactlyOnce()).isTrue();
    }

    @Test
    void aNegativeSequenceIsRefused() {
        assertThatThrownBy(() -> new ScoreTally().sent("a", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frame sequence must be 0..2147483647, found -1");
    }
}
