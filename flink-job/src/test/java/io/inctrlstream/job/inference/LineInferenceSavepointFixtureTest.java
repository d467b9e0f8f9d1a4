package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setAlertPolicy;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static io.inctrlstream.job.inference.TestInputs.setShotsWithCategory;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A savepoint of the line operator taken by this version is committed
 * (src/test/resources/savepoints/line-inference-v1.snapshot, canonical format): two lines with
 * banks, thresholds, a category and a policy, frames in flight and a pending command. Restoring it
 * (heap and RocksDB) must give back every line's state and re-run the pending inputs, so that a
 * change of the state's serializers or layout that breaks restoring fails here. Regenerate only for
 * a new format version, with {@code -Dinctrl.fixtures.write=true}, and keep the old fixture.
 */
@Timeout(60)
class LineInferenceSavepointFixtureTest {
    static final Path FIXTURE = Path.of("src/test/resources/savepoints/line-inference-v1.snapshot");

    /**
     * The same savepoint taken once the lines' shot images were kept ({@code line-shot-images}).
     */
    static final Path FIXTURE_WITH_IMAGES =
            Path.of("src/test/resources/savepoints/line-inference-v2-shot-images.snapshot");

    private static final LineStateConfig OTHER_MODEL =
            LineStateConfig.builder("fake-model@2").build();

    private static InferenceOperatorConfig config() {
        return InferenceOperatorConfig.builder()
                .maxBatchSize(2)
                .maxConcurrentBatches(1)
                .maxBatchWait(Duration.ofMillis(50))
                .build();
    }

    static Stream<Arguments> stateBackends() {
        return Stream.of(
                Arguments.of("heap", (Supplier<StateBackend>) () -> null),
                Arguments.of("rocksdb", (Supplier<StateBackend>) EmbeddedRocksDBStateBackend::new));
    }

    /** The fixture's content: what {@link #restoringTheCommittedSavepoint} expects. */
    private static OperatorSubtaskState takeSavepoint() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness = OperatorHarness.open(config(), backend)) {
            harness.process(setShots("line-a", "a-shots", "a1", "a2"));
            backend.bankCall(0).succeed();
            harness.drainMailbox();
            harness.process(setThreshold("line-a", "a-threshold", 0.25));
            harness.process(setAlertPolicy("line-a", "a-policy", new AlertPolicy(2, 3, 100L)));
            harness.process(setShotsWithCategory("line-b", "b-shots", "widget", "b1"));
            backend.bankCall(1).succeed();
            harness.drainMailbox();
            // In flight: a3 and b2 in a batch that is not answered, then a command and a frame
            // waiting behind b2.
            harness.process(TestInputs.frameFromRecord("line-a", "a3", 41L));
            harness.process(frame("line-b", "b2"));
            harness.process(setThreshold("line-b", "b-threshold", 0.6));
            harness.process(frame("line-b", "b3"));
            assertThat(backend.batches).hasSize(1);
            return harness.flink
                    .snapshotWithLocalState(
                            1L, 0L, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                    .getJobManagerOwnedState();
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "inctrl.fixtures.write", matches = "true")
    void writeTheFixture() throws Exception {
        Files.createDirectories(FIXTURE_WITH_IMAGES.getParent());
        OperatorSnapshotUtil.writeStateHandle(takeSavepoint(), FIXTURE_WITH_IMAGES.toString());
    }

    @Test
    void linesOfASavepointTakenBeforeImagesWereKeptAreNotRebuiltUnderAnotherModel()
            throws Exception {
        OperatorSubtaskState savepoint = OperatorSnapshotUtil.readStateHandle(FIXTURE.toString());
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config(), backend, savepoint, null, OTHER_MODEL)) {
            assertThat(backend.bankCalls).as("no images to rebuild from").isEmpty();
            assertThat(backend.batch(0).frameIds()).containsExactly("a3", "b2");
            assertThat(FakeBackend.bankText(backend.batch(0).requests().get(0)))
                    .as("the old model's bank, which the engine refuses")
                    .isEqualTo("a1,a2|null");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateBackends")
    void linesOfTheSavepointWithImagesAreRebuiltUnderAnotherModelBeforeTheirFrames(
            String name, Supplier<StateBackend> stateBackend) throws Exception {
        OperatorSubtaskState savepoint =
                OperatorSnapshotUtil.readStateHandle(FIXTURE_WITH_IMAGES.toString());
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(
                        config(), backend, savepoint, stateBackend.get(), OTHER_MODEL)) {
            // One backend call at a time (maxConcurrentBatches 1): the rebuilds run in turn.
            assertThat(backend.bankCalls).hasSize(1);
            assertThat(backend.batches).as("the frames wait for their line's new bank").isEmpty();
            assertThat(backend.bankCall(0).request().lineId()).isEqualTo("line-a");
            assertThat(backend.bankCall(0).newShotNames()).containsExactly("a1", "a2");
            backend.bankCall(0).succeed();
            harness.drainMailbox();
            assertThat(backend.bankCall(1).request().lineId()).isEqualTo("line-b");
            assertThat(backend.bankCall(1).newShotNames()).containsExactly("b1");
            assertThat(backend.bankCall(1).request().category()).isEqualTo("widget");
            backend.bankCall(1).succeed();
            harness.drainMailbox();
            assertThat(backend.batches).hasSize(1);
            assertThat(backend.batch(0).frameIds()).containsExactly("a3", "b2");
            assertThat(harness.lineStates()).as("one record per rebuilt line").hasSize(2);
        }
    }

    static Stream<Arguments> fixturesAndStateBackends() {
        return Stream.of(FIXTURE, FIXTURE_WITH_IMAGES)
                .flatMap(
                        fixture ->
                                stateBackends()
                                        .map(
                                                backend ->
                                                        Arguments.of(
                                                                backend.get()[0]
                                                                        + " "
                                                                        + fixture.getFileName(),
                                                                backend.get()[1],
                                                                fixture)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixturesAndStateBackends")
    void restoringTheCommittedSavepoint(
            String name, Supplier<StateBackend> stateBackend, Path fixture) throws Exception {
        OperatorSubtaskState savepoint = OperatorSnapshotUtil.readStateHandle(fixture.toString());
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config(), backend, savepoint, stateBackend.get())) {
            assertThat(backend.bankCalls).as("the banks come from state").isEmpty();
            assertThat(backend.batch(0).frameIds()).containsExactly("a3", "b2");
            assertThat(FakeBackend.bankText(backend.batch(0).requests().get(0)))
                    .isEqualTo("a1,a2|null");
            assertThat(FakeBackend.bankText(backend.batch(0).requests().get(1)))
                    .isEqualTo("b1|widget");
            backend.batch(0).succeed(0.4f);
            harness.drainMailbox();
            harness.setProcessingTime(1_000); // b3's batch waits for its partner until then
            backend.batch(1).succeed(0.4f);
            harness.drainMailbox();

            assertThat(harness.orderOf("line-a")).containsExactly("frame:a3");
            assertThat(harness.orderOf("line-b"))
                    .containsExactly("frame:b2", "command:b-threshold", "frame:b3");
            FrameScore a3 = harness.score("a3");
            assertThat(a3.threshold()).isEqualTo(0.25);
            assertThat(a3.anomalous()).isTrue();
            assertThat(a3.alertPolicy()).isEqualTo(new AlertPolicy(2, 3, 100L));
            assertThat(a3.shotsVersion()).isEqualTo(1);
            FrameScore b2 = harness.score("b2");
            assertThat(b2.threshold()).isEqualTo(0.5);
            assertThat(b2.category()).isEqualTo("widget");
            FrameScore b3 = harness.score("b3");
            assertThat(b3.threshold()).as("the pending command was applied").isEqualTo(0.6);
            assertThat(FakeBackend.bankText(backend.batch(1).requests().get(0)))
                    .isEqualTo("b1|widget");

            // The lines' command logs came back too: a re-sent command is a duplicate.
            harness.process(setThreshold("line-a", "a-threshold", 0.9));
            List<CommandOutcome> outcomes = harness.outcomes();
            assertThat(outcomes.get(outcomes.size() - 1).reason())
                    .startsWith("duplicate of command a-threshold");
        }
    }
}
