package io.inctrlstream.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.RecordingMetricGroup;
import io.inctrlstream.job.ReportedMetrics;
import io.inctrlstream.job.io.DeadLetterReason;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
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
        AlertMetrics metrics = new AlertMetrics(group, 256);

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

    @Test
    void perLineCountersAreCappedAndRemovedFromTheReportersWhenTheLineLosesItsShots() {
        ReportedMetrics reported = new ReportedMetrics();
        AlertMetrics metrics = new AlertMetrics(reported.operatorGroup("alerts"), 2);

        metrics.anomalousFrame("line-1");
        metrics.anomalousFrame("line-2");
        metrics.anomalousFrame("line-3"); // beyond the cap: counted in total only

        assertThat(reported.has("line.line-1.anomalousFrames")).isTrue();
        assertThat(reported.has("line.line-2.anomalousFrames")).isTrue();
        assertThat(reported.has("line.line-3.anomalousFrames")).isFalse();
        assertThat(((Counter) reported.find("anomalousFrames").orElseThrow()).getCount())
                .isEqualTo(3);
        assertThat(gauge(reported, "linesWithoutMetrics")).isEqualTo(1);

        metrics.lineWithoutShots("line-1");
        assertThat(reported.has("line.line-1.anomalousFrames")).isFalse();
        assertThat(reported.wasRemoved("line.line-1.anomalousFrames")).isTrue();
        assertThat(reported.wasRemoved("line.line-1.alerts")).isTrue();

        metrics.alert("line-3"); // a slot is free again
        assertThat(((Counter) reported.find("line.line-3.alerts").orElseThrow()).getCount())
                .isEqualTo(1);
        assertThat(gauge(reported, "linesWithoutMetrics")).isEqualTo(0);
    }

    /**
     * Closed line groups stay known to Flink's "line" group; once more than the cap piled up, the
     * "line" group is renewed: the live line's counters are unregistered and registered again, with
     * their counts.
     */
    @Test
    void linesComingAndGoingRenewTheLineGroupAndKeepTheLiveLinesCounts() {
        ReportedMetrics reported = new ReportedMetrics();
        AlertMetrics metrics = new AlertMetrics(reported.operatorGroup("alerts"), 4);
        metrics.alert("kept");
        for (int i = 0; i < 1_000; i++) {
            metrics.anomalousFrame("passing-" + i);
            metrics.lineWithoutShots("passing-" + i);
        }
        metrics.alert("kept");

        assertThat(reported.countContaining(".line.")).isEqualTo(2); // kept: alerts, anomalous
        assertThat(reported.wasRemoved("line.kept.alerts")).as("renewed").isTrue();
        assertThat(((Counter) reported.find("line.kept.alerts").orElseThrow()).getCount())
                .isEqualTo(2);
    }

    private static Object gauge(ReportedMetrics reported, String name) {
        return ((Gauge<?>) reported.find(name).orElseThrow()).getValue();
    }
}
