package io.inctrlstream.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.RecordingMetricGroup;
import io.inctrlstream.job.io.DeadLetterReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The names and counts of the job's own metrics (the inference operator has its own tests). */
class MetricsTest {
    @Test
    void deadLettersAreCountedPerReasonWithEveryReasonRegisteredUpFront() {
        RecordingMetricGroup group = new RecordingMetricGroup();
        DeadLetterCounters counters =
                new DeadLetterCounters(group, List.of(DeadLetterReason.values()));

        counters.count(DeadLetterReason.MALFORMED);
        counters.count(DeadLetterReason.MALFORMED);
        counters.count(DeadLetterReason.INVALID_FRAME);

        assertThat(group.count("deadLetterReason.MALFORMED.deadLetters")).isEqualTo(2);
        assertThat(group.count("deadLetterReason.INVALID_FRAME.deadLetters")).isEqualTo(1);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertThat(group.has("deadLetterReason." + reason + ".deadLetters"))
                    .as(reason.name())
                    .isTrue();
        }
    }

    @Test
    void aReasonNotRegisteredUpFrontIsRegisteredWhenFirstCounted() {
        RecordingMetricGroup group = new RecordingMetricGroup();
        DeadLetterCounters counters =
                new DeadLetterCounters(group, List.of(DeadLetterReason.IMAGE_CORRUPT));

        assertThat(group.has("deadLetterReason.IMAGE_CORRUPT.deadLetters")).isTrue();
        assertThat(group.has("deadLetterReason.MALFORMED.deadLetters")).isFalse();
        counters.count(DeadLetterReason.MALFORMED);

        assertThat(group.count("deadLetterReason.MALFORMED.deadLetters")).isEqualTo(1);
        assertThat(group.count("deadLetterReason.IMAGE_CORRUPT.deadLetters")).isZero();
    }

    @Test
    void anomalousFramesAndAlertsAreCountedInTotalAndPerLine() {
        RecordingMetricGroup group = new RecordingMetricGroup();
        AlertMetrics metrics = new AlertMetrics(group);

        metrics.anomalousFrame("line-1");
        metrics.anomalousFrame("line-1");
        metrics.anomalousFrame("line-2");
        metrics.alert("line-1");

        assertThat(group.count("anomalousFrames")).isEqualTo(3);
        assertThat(group.count("alerts")).isEqualTo(1);
        assertThat(group.count("line.line-1.anomalousFrames")).isEqualTo(2);
        assertThat(group.count("line.line-2.anomalousFrames")).isEqualTo(1);
        assertThat(group.count("line.line-1.alerts")).isEqualTo(1);
        assertThat(group.count("line.line-2.alerts")).isZero();
    }
}
