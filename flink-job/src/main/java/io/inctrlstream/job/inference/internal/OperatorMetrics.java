package io.inctrlstream.job.inference.internal;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The operator's metrics in Flink's metric system (and so in the web dashboard). Counters are
 * updated on the task thread; gauges are read by the metric reporter thread. Per line, only lines
 * with a shot bank have a {@code line.<lineId>.shotsVersion} gauge (at most the configured number
 * of lines, see {@link LineMetricGroups}).
 */
final class OperatorMetrics {
    static final String FRAMES_IN = "framesIn";
    static final String FRAMES_IN_RATE = "framesInPerSecond";
    static final String FRAMES_SCORED = "framesScored";
    static final String FRAMES_SCORED_RATE = "framesScoredPerSecond";
    static final String FRAMES_NO_REFERENCE = "framesNoReference";
    static final String FRAMES_FAILED = "framesFailed";
    static final String FRAMES_IN_FLIGHT = "framesInFlight";
    static final String INPUTS_BUFFERED = "inputsBuffered";
    static final String BATCHES_RUNNING = "batchesRunning";
    static final String CONSECUTIVE_FAILURES = "inferenceFailuresInARow";
    static final String BANK_CACHE_BYTES = "bankCacheBytes";
    static final String INFERENCE_LATENCY = "inferenceLatencyMs";
    static final String END_TO_END_LATENCY = "endToEndLatencyMs";
    static final String BATCH_SIZE = "batchSize";
    static final String INFERENCE_TIMEOUTS = "inferenceTimeouts";
    static final String INFERENCE_RETRIES = "inferenceRetries";
    static final String COMMANDS_APPLIED = "commandsApplied";
    static final String COMMANDS_REJECTED = "commandsRejected";
    static final String SHOTS_VERSION = "shotsVersion";

    private static final int HISTOGRAM_WINDOW = 1024;

    /** What a line's gauge reads. */
    private static final class LineGauges implements LineMetricGroups.PerLine {
        volatile long shotsVersion;

        @Override
        public void registerIn(MetricGroup lineGroup) {
            lineGroup.gauge(SHOTS_VERSION, (Gauge<Long>) () -> shotsVersion);
        }
    }

    final Counter framesIn;
    final Meter framesInRate;
    final Counter framesScored;
    final Meter framesScoredRate;
    final Counter framesNoReference;
    final Counter framesFailed;
    final Histogram inferenceLatencyMs;
    final Histogram endToEndLatencyMs;
    final Histogram batchSize;
    final Counter inferenceTimeouts;
    final Counter inferenceRetries;
    final Counter commandsApplied;
    final Counter commandsRejected;
    private final LineMetricGroups<LineGauges> lines;

    /** The gauges' sources, read by the reporter thread. */
    record Sources(
            IntSupplier framesInFlight,
            IntSupplier inputsBuffered,
            IntSupplier batchesRunning,
            IntSupplier consecutiveFailures,
            LongSupplier bankCacheBytes) {}

    OperatorMetrics(MetricGroup group, int maxLinesWithMetrics, Sources sources) {
        framesIn = group.counter(FRAMES_IN);
        framesInRate = group.meter(FRAMES_IN_RATE, new MeterView(framesIn));
        framesScored = group.counter(FRAMES_SCORED);
        framesScoredRate = group.meter(FRAMES_SCORED_RATE, new MeterView(framesScored));
        framesNoReference = group.counter(FRAMES_NO_REFERENCE);
        framesFailed = group.counter(FRAMES_FAILED);
        inferenceLatencyMs =
                group.histogram(
                        INFERENCE_LATENCY, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        endToEndLatencyMs =
                group.histogram(
                        END_TO_END_LATENCY, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        batchSize =
                group.histogram(BATCH_SIZE, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        inferenceTimeouts = group.counter(INFERENCE_TIMEOUTS);
        inferenceRetries = group.counter(INFERENCE_RETRIES);
        commandsApplied = group.counter(COMMANDS_APPLIED);
        commandsRejected = group.counter(COMMANDS_REJECTED);
        group.gauge(FRAMES_IN_FLIGHT, (Gauge<Integer>) sources.framesInFlight()::getAsInt);
        group.gauge(INPUTS_BUFFERED, (Gauge<Integer>) sources.inputsBuffered()::getAsInt);
        group.gauge(BATCHES_RUNNING, (Gauge<Integer>) sources.batchesRunning()::getAsInt);
        group.gauge(CONSECUTIVE_FAILURES, (Gauge<Integer>) sources.consecutiveFailures()::getAsInt);
        group.gauge(BANK_CACHE_BYTES, (Gauge<Long>) sources.bankCacheBytes()::getAsLong);
        lines = new LineMetricGroups<>(group, maxLinesWithMetrics, lineId -> new LineGauges());
    }

    /**
     * Publishes a line's state as read or changed: a line with a bank gets (or updates) its
     * shots-version gauge; a line without one has none (it is removed when the bank is cleared).
     */
    void lineState(String lineId, boolean hasBank, long shotsVersion) {
        if (!hasBank) {
            lines.remove(lineId);
            return;
        }
        LineGauges gauges = lines.line(lineId);
        if (gauges != null) {
            gauges.shotsVersion = shotsVersion;
        }
    }
}
