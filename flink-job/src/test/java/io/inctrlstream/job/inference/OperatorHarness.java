package io.inctrlstream.job.inference;

import io.inctrlstream.job.ReportedMetrics;
import io.inctrlstream.job.io.OutboundRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * Flink's keyed one-input operator harness around the line inference operator, plus the few moves
 * the tests repeat: draining the task mailbox (where backend answers arrive), moving processing
 * time, reading outputs and metrics. Everything runs on the test thread, which plays the task
 * thread.
 */
final class OperatorHarness implements AutoCloseable {
    /** The model id of the harness's line-state records. */
    static final String MODEL_ID = "fake-model@1";

    /** Line states of {@link #MODEL_ID}, with no store to restore from. */
    static final LineStateConfig LINE_STATES = LineStateConfig.builder(MODEL_ID).build();

    final OneInputStreamOperatorTestHarness<LineInput, LineOutput> flink;
    private final InterceptingOperatorMetricGroup metrics;
    private long nextTimestamp = 1;

    private OperatorHarness(
            OneInputStreamOperatorTestHarness<LineInput, LineOutput> flink,
            InterceptingOperatorMetricGroup metrics) {
        this.flink = flink;
        this.metrics = metrics;
    }

    /** A keyed harness (Flink's KeyedOneInputStreamOperatorTestHarness), opened. */
    static OperatorHarness open(InferenceOperatorConfig config, FakeBackend backend)
            throws Exception {
        return open(config, backend, null);
    }

    /** A keyed harness restored from {@code snapshot} (null: empty state), opened. */
    static OperatorHarness open(
            InferenceOperatorConfig config, FakeBackend backend, OperatorSubtaskState snapshot)
            throws Exception {
        return open(config, backend, snapshot, null);
    }

    /**
     * A keyed harness on {@code stateBackend} (null: the harness's heap backend), restored from
     * {@code snapshot} (null: empty state), opened.
     */
    static OperatorHarness open(
            InferenceOperatorConfig config,
            FakeBackend backend,
            OperatorSubtaskState snapshot,
            StateBackend stateBackend)
            throws Exception {
        return open(config, backend.factory(), snapshot, stateBackend, LINE_STATES);
    }

    /** As above, with the line states of {@code lineStates} (its store read when not restored). */
    static OperatorHarness open(
            InferenceOperatorConfig config,
            FakeBackend backend,
            OperatorSubtaskState snapshot,
            StateBackend stateBackend,
            LineStateConfig lineStates)
            throws Exception {
        return open(config, backend.factory(), snapshot, stateBackend, lineStates);
    }

    /**
     * A keyed harness around any backend factory, restored from {@code snapshot} (null: empty
     * state), with the line states of {@code lineStates}, opened.
     */
    static OperatorHarness open(
            InferenceOperatorConfig config,
            InferenceBackendFactory factory,
            OperatorSubtaskState snapshot,
            LineStateConfig lineStates)
            throws Exception {
        return open(config, factory, snapshot, null, lineStates);
    }

    /** A keyed harness around any backend factory, with empty state, opened. */
    static OperatorHarness open(InferenceOperatorConfig config, InferenceBackendFactory factory)
            throws Exception {
        return open(config, factory, null, null, LINE_STATES);
    }

    private static OperatorHarness open(
            InferenceOperatorConfig config,
            InferenceBackendFactory factory,
            OperatorSubtaskState snapshot,
            StateBackend stateBackend,
            LineStateConfig lineStates)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, LineInput, LineOutput> flink =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new LineInferenceOperatorFactory(config, factory, lineStates),
                        new LineIdKeySelector(),
                        Types.STRING);
        if (stateBackend != null) {
            flink.setStateBackend(stateBackend);
        }
        OperatorHarness harness = new OperatorHarness(flink, null);
        harness.start(snapshot);
        return harness;
    }

    /**
     * The same keyed set-up on a mock environment whose operator metric group records the metrics
     * (the keyed harness offers no constructor with both a factory and an environment).
     */
    static OperatorHarness openWithMetrics(InferenceOperatorConfig config, FakeBackend backend)
            throws Exception {
        return openWithMetrics(config, backend, LINE_STATES);
    }

    /** As above, with the line states of {@code lineStates}. */
    static OperatorHarness openWithMetrics(
            InferenceOperatorConfig config, FakeBackend backend, LineStateConfig lineStates)
            throws Exception {
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        return openOn(
                config,
                backend.factory(),
                new InterceptingTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(
                            OperatorID operatorId,
                            String name,
                            Map<String, String> additionalVariables) {
                        return metrics;
                    }
                },
                metrics,
                lineStates);
    }

    /**
     * The same keyed set-up with the operator's metrics in Flink's own metric groups on {@code
     * reported}'s registry, which sees metrics registered and removed as a reporter would.
     */
    static OperatorHarness openWithReportedMetrics(
            InferenceOperatorConfig config, FakeBackend backend, ReportedMetrics reported)
            throws Exception {
        return openOn(config, backend.factory(), reported.taskGroup(), null, LINE_STATES);
    }

    private static OperatorHarness openOn(
            InferenceOperatorConfig config,
            InferenceBackendFactory factory,
            TaskMetricGroup taskMetrics,
            InterceptingOperatorMetricGroup metrics,
            LineStateConfig lineStates)
            throws Exception {
        MockEnvironment environment =
                new MockEnvironmentBuilder().setMetricGroup(taskMetrics).build();
        OneInputStreamOperatorTestHarness<LineInput, LineOutput> flink =
                new OneInputStreamOperatorTestHarness<>(
                        new LineInferenceOperatorFactory(config, factory, lineStates), environment);
        flink.getStreamConfig().setStatePartitioner(0, new LineIdKeySelector());
        flink.getStreamConfig()
                .setStateKeySerializer(
                        Types.STRING.createSerializer(
                                flink.getExecutionConfig().getSerializerConfig()));
        flink.getStreamConfig().serializeAllConfigs();
        OperatorHarness harness = new OperatorHarness(flink, metrics);
        harness.start(null);
        return harness;
    }

    private void start(OperatorSubtaskState snapshot) throws Exception {
        flink.setProcessingTime(0);
        if (snapshot == null) {
            flink.initializeEmptyState();
        } else {
            flink.initializeState(snapshot);
        }
        flink.open();
    }

    /** Feeds one input (each with a fresh timestamp). */
    void process(LineInput input) throws Exception {
        flink.processElement(new StreamRecord<>(input, nextTimestamp++));
    }

    void processWatermark(long timestamp) throws Exception {
        flink.processWatermark(new Watermark(timestamp));
    }

    /** Runs every mail waiting in the task mailbox, as the task thread would between records. */
    void drainMailbox() throws Exception {
        TaskMailbox mailbox = flink.getTaskMailbox();
        Optional<Mail> mail;
        while ((mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
            mail.get().run();
        }
    }

    /**
     * Runs mails as they arrive (waiting for them, as the task thread would) until {@code done}
     * holds: for backends that answer from their own thread.
     */
    void runMailsUntil(java.util.function.BooleanSupplier done) throws Exception {
        TaskMailbox mailbox = flink.getTaskMailbox();
        while (!done.getAsBoolean()) {
            mailbox.take(TaskMailbox.MIN_PRIORITY).run();
        }
    }

    /**
     * Puts a mail into the task mailbox, as another thread would; the operator only runs it when it
     * yields (or when the test drains the mailbox).
     */
    void enqueueMail(ThrowingRunnable<? extends Exception> action) {
        flink.getTaskMailbox().put(new Mail(action, TaskMailbox.MAX_PRIORITY, "test mail"));
    }

    /** Moves processing time (firing due timers) and runs the resulting mails. */
    void setProcessingTime(long millis) throws Exception {
        flink.setProcessingTime(millis);
        drainMailbox();
    }

    OperatorSubtaskState snapshot(long checkpointId) throws Exception {
        return flink.snapshot(checkpointId, flink.getProcessingTime());
    }

    void endInput() throws Exception {
        flink.endInput();
    }

    /** Everything emitted so far, in order. */
    List<LineOutput> outputs() {
        return flink.extractOutputValues();
    }

    /** Outputs of one line, described as "frame:id" / "command:id". */
    List<String> orderOf(String lineId) {
        return outputs().stream()
                .filter(output -> output.lineId().equals(lineId))
                .map(TestInputs::describe)
                .collect(Collectors.toList());
    }

    /** Scores only, in order. */
    List<FrameScore> scores() {
        return outputs().stream()
                .filter(LineOutput::isScore)
                .map(LineOutput::score)
                .collect(Collectors.toList());
    }

    /** Command outcomes only, in order. */
    List<CommandOutcome> outcomes() {
        return outputs().stream()
                .filter(output -> !output.isScore())
                .map(LineOutput::outcome)
                .collect(Collectors.toList());
    }

    /** The last score emitted for {@code frameId}. */
    FrameScore score(String frameId) {
        List<FrameScore> matching = new ArrayList<>();
        for (FrameScore score : scores()) {
            if (score.frameId().equals(frameId)) {
                matching.add(score);
            }
        }
        if (matching.isEmpty()) {
            throw new AssertionError("no score for frame " + frameId + " in " + outputs());
        }
        return matching.get(matching.size() - 1);
    }

    /** The line-state records emitted so far (side output), in order. */
    List<OutboundRecord> lineStates() {
        var emitted = flink.getSideOutput(LineInference.LINE_STATES);
        List<OutboundRecord> records = new ArrayList<>();
        if (emitted != null) {
            emitted.forEach(record -> records.add(record.getValue()));
        }
        return records;
    }

    /** Watermarks emitted so far, in order, among the other outputs. */
    List<Object> rawOutput() {
        return new ArrayList<>(flink.getOutput());
    }

    Metric metric(String name) {
        if (metrics == null) {
            throw new IllegalStateException(
                    "open the harness with openWithMetrics to read metrics");
        }
        return metrics.get(name);
    }

    @Override
    public void close() {
        try {
            flink.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the operator harness failed", e);
        }
    }
}
