package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.LineInferenceOperatorTest.giveShots;
import static io.inctrlstream.job.inference.TestInputs.clearShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.ReportedMetrics;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The operator's metrics as registered in Flink's metric system. */
@Timeout(60)
class LineInferenceMetricsTest {

    private static long count(OperatorHarness harness, String name) {
        return ((Counter) harness.metric(name)).getCount();
    }

    @Test
    void countsFramesCommandsBatchesAndTimeouts() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config =
                InferenceOperatorConfig.builder()
                        .maxBatchSize(2)
                        .maxBatchWait(Duration.ofMillis(50))
                        .timeout(Duration.ofMillis(100))
                        .build();
        try (OperatorHarness harness = OperatorHarness.openWithMetrics(config, backend)) {
            harness.process(frame("line-a", "no-shots"));
            giveShots(harness, backend, "line-a", "s1");
            harness.process(setThreshold("line-a", "bad", 7.0));
            harness.process(frame("line-a", "f1"));
            harness.process(frame("line-a", "f2"));
            harness.process(frame("line-a", "f3"));

            @SuppressWarnings("unchecked")
            Gauge<Integer> inFlight = (Gauge<Integer>) harness.metric("framesInFlight");
            assertThat(inFlight.getValue()).isEqualTo(3);

            harness.setProcessingTime(100); // the batch of f1 and f2 times out and is retried
            backend.batch(1).succeed(0.2f);
            harness.drainMailbox();
            harness.setProcessingTime(150);
            backend.batch(2).succeed(0.2f);
            harness.drainMailbox();

            assertThat(count(harness, "framesIn")).isEqualTo(4);
            assertThat(count(harness, "framesScored")).isEqualTo(3);
            assertThat(count(harness, "framesNoReference")).isEqualTo(1);
            assertThat(count(harness, "framesFailed")).isZero();
            assertThat(count(harness, "commandsApplied")).isEqualTo(1);
            assertThat(count(harness, "commandsRejected")).isEqualTo(1);
            assertThat(count(harness, "inferenceTimeouts")).isEqualTo(1);
            assertThat(count(harness, "inferenceRetries")).isEqualTo(2);
            assertThat(inFlight.getValue()).isZero();
            Histogram batchSize = (Histogram) harness.metric("batchSize");
            assertThat(batchSize.getCount()).isEqualTo(3);
            assertThat(batchSize.getStatistics().getMax()).isEqualTo(2);
            assertThat(((Histogram) harness.metric("inferenceLatencyMs")).getCount())
                    .as("answered batches only")
                    .isEqualTo(2);
            assertThat(((Histogram) harness.metric("endToEndLatencyMs")).getCount())
                    .as("scored frames only")
                    .isEqualTo(3);
            assertThat(harness.metric("framesInPerSecond")).isInstanceOf(Meter.class);
            assertThat(harness.metric("framesScoredPerSecond")).isInstanceOf(Meter.class);
            assertThat(harness.metric("batchesRunning")).isInstanceOf(Gauge.class);
        }
    }

    @Test
    void endToEndLatencyRunsFromCaptureToScoreAndIsNeverNegative() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = InferenceOperatorConfig.builder().maxBatchSize(1).build();
        try (OperatorHarness harness = OperatorHarness.openWithMetrics(config, backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.setProcessingTime(4_500); // the test frames were captured at 1_000
            harness.process(frame("line-a", "late"));
            backend.batch(0).succeed(0.2f);
            harness.drainMailbox();

            Histogram endToEnd = (Histogram) harness.metric("endToEndLatencyMs");
            assertThat(endToEnd.getCount()).isEqualTo(1);
            assertThat(endToEnd.getStatistics().getMax()).isEqualTo(3_500);
        }
    }

    @Test
    void perLineGaugesOnlyForLinesWithShotsCappedAndRemovedWhenTheShotsAreCleared()
            throws Exception {
        FakeBackend backend =
                FakeBackend.create()
                        .answeringBatchesWith(
                                requests ->
                                        requests.stream()
                                                .map(
                                                        request ->
                                                                FrameScoreResult.scored(
                                                                        FakeBackend.values(0.1f)))
                                                .collect(Collectors.toList()));
        ReportedMetrics reported = new ReportedMetrics();
        InferenceOperatorConfig config =
                InferenceOperatorConfig.builder()
                        .maxBatchWait(Duration.ZERO)
                        .maxLinesWithMetrics(2)
                        .build();
        try (OperatorHarness harness =
                OperatorHarness.openWithReportedMetrics(config, backend, reported)) {
            for (int i = 0; i < 1_000; i++) {
                harness.process(frame("garbage-" + i, "f" + i));
            }
            assertThat(reported.countContaining(".line.")).as("lines without shots").isZero();

            giveShots(harness, backend, "line-a", "s1");
            giveShots(harness, backend, "line-b", "s1");
            giveShots(harness, backend, "line-c", "s1");
            assertThat(gauge(reported, "line.line-a.shotsVersion")).isEqualTo(1L);
            assertThat(gauge(reported, "line.line-b.shotsVersion")).isEqualTo(1L);
            assertThat(reported.has("line.line-c.shotsVersion")).as("beyond the cap").isFalse();
            assertThat(gauge(reported, "linesWithoutMetrics")).isEqualTo(1);

            harness.process(clearShots("line-a", "clear-a"));
            assertThat(reported.wasRemoved("line.line-a.shotsVersion")).isTrue();
            assertThat(reported.has("line.line-a.shotsVersion")).isFalse();

            harness.process(frame("line-c", "c1")); // a slot is free: line-c gets its gauge
            harness.drainMailbox();
            assertThat(gauge(reported, "line.line-c.shotsVersion")).isEqualTo(1L);
            assertThat(gauge(reported, "linesWithoutMetrics")).isEqualTo(0);
            assertThat(reported.countContaining(".line.")).isEqualTo(2);
        }
    }

    private static Object gauge(ReportedMetrics reported, String name) {
        return ((Gauge<?>) reported.find(name).orElseThrow()).getValue();
    }
}
