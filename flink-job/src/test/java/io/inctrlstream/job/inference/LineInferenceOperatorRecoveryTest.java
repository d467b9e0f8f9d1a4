package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.LineInferenceOperatorTest.giveShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Snapshot and restore of the line operator with inputs in flight. */
@Timeout(60)
class LineInferenceOperatorRecoveryTest {

    private static InferenceOperatorConfig.Builder config() {
        return InferenceOperatorConfig.builder().maxBatchWait(Duration.ofMillis(50));
    }

    private static List<String> described(List<LineOutput> outputs) {
        return outputs.stream().map(TestInputs::describe).collect(Collectors.toList());
    }

    /** The harness's heap backend, and RocksDB (the production choice for large banks). */
    static Stream<Arguments> stateBackends() {
        return Stream.of(
                Arguments.of("heap", (Supplier<StateBackend>) () -> null),
                Arguments.of("rocksdb", (Supplier<StateBackend>) EmbeddedRocksDBStateBackend::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateBackends")
    void aFrameInFlightAtSnapshotKeepsItsProvenanceForItsImageFailure(
            String name, Supplier<StateBackend> stateBackend) throws Exception {
        InferenceOperatorConfig config = config().maxBatchSize(1).build();
        FakeBackend before = FakeBackend.create();
        OperatorSubtaskState snapshot;
        try (OperatorHarness harness =
                OperatorHarness.open(config, before, null, stateBackend.get())) {
            giveShots(harness, before, "line-a", "a-shot");
            harness.process(TestInputs.frameFromRecord("line-a", "a1", 7L));
            assertThat(before.batches).hasSize(1);
            snapshot = harness.snapshot(1L);
        }

        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config, after, snapshot, stateBackend.get())) {
            harness.drainMailbox();
            assertThat(after.batch(0).frameIds()).containsExactly("a1");
            after.batch(0)
                    .answer()
                    .complete(
                            List.of(
                                    FrameScoreResult.imageFailed(
                                            ImageFailure.IMAGE_SIZE_MISMATCH,
                                            "IMAGE_SIZE_MISMATCH: 3x3, declared 4x4")));
            harness.drainMailbox();

            FrameScore a1 = harness.score("a1");
            assertThat(a1.status()).isEqualTo(ScoreStatus.FAILED);
            assertThat(a1.imageFailure()).isEqualTo(ImageFailure.IMAGE_SIZE_MISMATCH);
            assertThat(a1.provenance())
                    .usingRecursiveComparison()
                    .isEqualTo(TestInputs.provenance("line-a", 7L));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateBackends")
    void framesAndCommandInFlightAtSnapshotAreAnsweredExactlyOnceAfterRestore(
            String name, Supplier<StateBackend> stateBackend) throws Exception {
        InferenceOperatorConfig config = config().maxBatchSize(2).maxConcurrentBatches(1).build();
        FakeBackend before = FakeBackend.create();
        List<LineOutput> emittedBefore;
        OperatorSubtaskState snapshot;
        try (OperatorHarness harness =
                OperatorHarness.open(config, before, null, stateBackend.get())) {
            giveShots(harness, before, "line-a", "a-shot");
            harness.process(setThreshold("line-a", "threshold", 0.25));
            harness.process(frame("line-a", "a1"));
            harness.process(frame("line-a", "a2"));
            harness.process(frame("line-a", "a3"));
            harness.process(setShots("line-b", "b-shots", "b-shot"));
            harness.process(frame("line-b", "b1"));
            before.batch(0).succeed(0.1f);
            harness.drainMailbox();
            assertThat(before.batches).as("a3 waits for a partner or its timer").hasSize(1);

            snapshot = harness.snapshot(1L);
            emittedBefore = harness.outputs();
        }
        assertThat(before.closed).isTrue();
        assertThat(described(emittedBefore))
                .containsExactly(
                        "command:shots-line-a-0", "command:threshold", "frame:a1", "frame:a2");

        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config, after, snapshot, stateBackend.get())) {
            assertThat(after.bankCall(0).request().lineId()).isEqualTo("line-b");
            assertThat(after.bankCall(0).newShotNames()).containsExactly("b-shot");
            after.bankCall(0).succeed();
            harness.drainMailbox();
            assertThat(after.batch(0).frameIds()).containsExactly("a3", "b1");
            ScoringRequest a3 = after.batch(0).requests().get(0);
            assertThat(FakeBackend.bankText(a3))
                    .as("line a's bank was restored")
                    .isEqualTo("a-shot|null");
            assertThat(FakeBackend.bankText(after.batch(0).requests().get(1)))
                    .isEqualTo("b-shot|null");
            after.batch(0).succeed(0.3f);
            harness.drainMailbox();

            List<LineOutput> all = new ArrayList<>(emittedBefore);
            all.addAll(harness.outputs());
            assertThat(described(all))
                    .containsExactlyInAnyOrder(
                            "command:shots-line-a-0",
                            "command:threshold",
                            "frame:a1",
                            "frame:a2",
                            "frame:a3",
                            "command:b-shots",
                            "frame:b1");
            assertThat(harness.orderOf("line-b")).containsExactly("command:b-shots", "frame:b1");
            FrameScore a3Score = harness.score("a3");
            assertThat(a3Score.threshold()).as("line a's threshold was restored").isEqualTo(0.25);
            assertThat(a3Score.anomalous()).isTrue();
            assertThat(a3Score.shotsVersion()).isEqualTo(1);
            assertThat(harness.score("b1").shotsVersion()).isEqualTo(1);
        }
    }

    @Test
    void answeredFrameBehindAnUnansweredOneIsRerunNotLost() throws Exception {
        InferenceOperatorConfig config = config().maxBatchSize(1).maxConcurrentBatches(2).build();
        FakeBackend before = FakeBackend.create();
        OperatorSubtaskState snapshot;
        try (OperatorHarness harness = OperatorHarness.open(config, before)) {
            giveShots(harness, before, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.process(frame("line-a", "f2"));
            before.batch(1).succeed(0.2f); // f2 answered, but waits for f1
            harness.drainMailbox();
            assertThat(harness.scores()).isEmpty();
            snapshot = harness.snapshot(1L);
        }

        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config, after, snapshot)) {
            assertThat(after.batches.stream().map(FakeBackend.BatchCall::frameIds))
                    .containsExactly(List.of("f1"), List.of("f2"));
            after.batch(1).succeed(0.2f);
            after.batch(0).succeed(0.1f);
            harness.drainMailbox();

            assertThat(harness.orderOf("line-a")).containsExactly("frame:f1", "frame:f2");
        }
    }

    @Test
    void inputsAnsweredBeforeALaterSnapshotAreNotRerun() throws Exception {
        InferenceOperatorConfig config = config().maxBatchSize(1).build();
        FakeBackend before = FakeBackend.create();
        OperatorSubtaskState snapshot;
        try (OperatorHarness harness = OperatorHarness.open(config, before)) {
            giveShots(harness, before, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.snapshot(1L); // f1 pending in this one
            before.batch(0).succeed(0.2f);
            harness.drainMailbox();
            snapshot = harness.snapshot(2L);
        }

        FakeBackend after = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config, after, snapshot)) {
            harness.setProcessingTime(1_000);
            assertThat(after.batches).isEmpty();
            assertThat(after.bankCalls).isEmpty();
            harness.process(frame("line-a", "f2"));
            assertThat(FakeBackend.bankText(after.batch(0).requests().get(0))).isEqualTo("s1|null");
            assertThat(after.batch(0).requests().get(0).bank().version()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateBackends")
    void pendingInputsFollowTheirLineWhenTheOperatorIsRescaled(
            String name, Supplier<StateBackend> stateBackend) throws Exception {
        int maxParallelism = 128;
        List<String> lines =
                IntStream.range(0, 50).mapToObj(i -> "line-" + i).collect(Collectors.toList());
        String onFirst = firstLineOnSubtask(lines, maxParallelism, 0);
        String onSecond = firstLineOnSubtask(lines, maxParallelism, 1);
        InferenceOperatorConfig config = config().maxBatchSize(1).build();

        FakeBackend before = FakeBackend.create();
        OperatorSubtaskState snapshot;
        KeyedOneInputStreamOperatorTestHarness<String, LineInput, LineOutput> harness =
                keyedHarness(config, before, maxParallelism, 1, 0, stateBackend.get());
        try {
            harness.initializeEmptyState();
            harness.open();
            harness.processElement(setShots(onFirst, "first-shots", "s1"), 1);
            harness.processElement(frame(onFirst, "first-frame"), 2);
            harness.processElement(setShots(onSecond, "second-shots", "s2"), 3);
            harness.processElement(frame(onSecond, "second-frame"), 4);
            snapshot = harness.snapshot(1L, 0L);
        } finally {
            harness.close();
        }

        for (int subtask = 0; subtask < 2; subtask++) {
            String expectedLine = subtask == 0 ? onFirst : onSecond;
            FakeBackend after = FakeBackend.create().answeringBanks();
            KeyedOneInputStreamOperatorTestHarness<String, LineInput, LineOutput> restored =
                    keyedHarness(config, after, maxParallelism, 2, subtask, stateBackend.get());
            try {
                restored.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                snapshot, maxParallelism, 1, 2, subtask));
                restored.open();
                drain(restored);

                assertThat(after.bankCalls)
                        .extracting(call -> call.request().lineId())
                        .containsExactly(expectedLine);
                assertThat(after.batch(0).requests())
                        .extracting(ScoringRequest::lineId)
                        .containsExactly(expectedLine);
            } finally {
                restored.close();
            }
        }
    }

    private static String firstLineOnSubtask(List<String> lines, int maxParallelism, int subtask) {
        return lines.stream()
                .filter(
                        line ->
                                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                                line, maxParallelism, 2)
                                        == subtask)
                .findFirst()
                .orElseThrow();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LineInput, LineOutput>
            keyedHarness(
                    InferenceOperatorConfig config,
                    FakeBackend backend,
                    int maxParallelism,
                    int parallelism,
                    int subtask,
                    StateBackend stateBackend)
                    throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, LineInput, LineOutput> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new LineInferenceOperatorFactory(
                                config, backend.factory(), OperatorHarness.LINE_STATES),
                        new LineIdKeySelector(),
                        Types.STRING,
                        maxParallelism,
                        parallelism,
                        subtask);
        if (stateBackend != null) {
            harness.setStateBackend(stateBackend);
        }
        return harness;
    }

    private static void drain(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> harness)
            throws Exception {
        var mailbox = harness.getTaskMailbox();
        java.util.Optional<org.apache.flink.streaming.runtime.tasks.mailbox.Mail> mail;
        while ((mail =
                        mailbox.tryTake(
                                org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox
                                        .MIN_PRIORITY))
                .isPresent()) {
            mail.get().run();
        }
    }
}
