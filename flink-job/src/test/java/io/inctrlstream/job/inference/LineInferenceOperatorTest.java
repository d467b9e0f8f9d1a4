package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.TestInputs.addShots;
import static io.inctrlstream.job.inference.TestInputs.clearShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setAlertPolicy;
import static io.inctrlstream.job.inference.TestInputs.setCategory;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ordering, commands, no-reference frames, batching and watermarks of the line operator. */
@Timeout(60)
class LineInferenceOperatorTest {

    /** Sets a line's shots and answers the bank build; returns the outcome. */
    static CommandOutcome giveShots(
            OperatorHarness harness, FakeBackend backend, String lineId, String... shots)
            throws Exception {
        int call = backend.bankCalls.size();
        String commandId = "shots-" + lineId + "-" + call;
        harness.process(setShots(lineId, commandId, shots));
        backend.bankCall(call).succeed();
        harness.drainMailbox();
        CommandOutcome outcome = harness.outcomes().get(harness.outcomes().size() - 1);
        assertThat(outcome.commandId()).isEqualTo(commandId);
        assertThat(outcome.status()).isEqualTo(CommandStatus.APPLIED);
        return outcome;
    }

    private static InferenceOperatorConfig.Builder config() {
        return InferenceOperatorConfig.builder().maxBatchWait(Duration.ofMillis(50));
    }

    @Test
    void frameOfLineWithoutShotsGetsNoReferenceAtOnceWithoutInference() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            harness.process(frame("line-a", "f1"));

            FrameScore score = harness.score("f1");
            assertThat(score.status()).isEqualTo(ScoreStatus.NO_REFERENCE);
            assertThat(score.shotsVersion()).isZero();
            assertThat(score.finalScore()).isNull();
            assertThat(score.patchMap()).isNull();
            assertThat(score.anomalous()).isFalse();
            assertThat(score.threshold()).isEqualTo(config.defaultThreshold());
            assertThat(score.attempts()).isZero();
            assertThat(backend.batches).isEmpty();
        }
    }

    @Test
    void perLineOrderHoldsWhileBatchesOfDifferentLinesCompleteOutOfOrder() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxBatchSize(1).maxConcurrentBatches(4).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "a-shot");
            giveShots(harness, backend, "line-b", "b-shot");
            harness.process(frame("line-a", "a1"));
            harness.process(frame("line-b", "b1"));
            harness.process(frame("line-a", "a2"));
            assertThat(backend.batches.stream().map(FakeBackend.BatchCall::frameIds))
                    .containsExactly(List.of("a1"), List.of("b1"), List.of("a2"));

            backend.batch(2).succeed(0.9f);
            harness.drainMailbox();
            assertThat(harness.orderOf("line-a")).containsExactly("command:shots-line-a-0");

            backend.batch(1).succeed(0.2f);
            harness.drainMailbox();
            assertThat(harness.orderOf("line-b"))
                    .containsExactly("command:shots-line-b-1", "frame:b1");
            assertThat(harness.orderOf("line-a")).containsExactly("command:shots-line-a-0");

            backend.batch(0).succeed(0.1f);
            harness.drainMailbox();
            assertThat(harness.orderOf("line-a"))
                    .containsExactly("command:shots-line-a-0", "frame:a1", "frame:a2");
            List<String> all =
                    harness.outputs().stream()
                            .map(TestInputs::describe)
                            .collect(Collectors.toList());
            assertThat(all.indexOf("frame:b1")).isLessThan(all.indexOf("frame:a1"));
            assertThat(harness.score("a1").finalScore()).isEqualTo(0.1f);
            assertThat(harness.score("a1").anomalous()).isFalse();
            assertThat(harness.score("a2").finalScore()).isEqualTo(0.9f);
            assertThat(harness.score("a2").anomalous()).isTrue();
        }
    }

    @Test
    void frameAfterSetShotsIsScoredAgainstTheNewShotsOnly() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxBatchSize(1).maxConcurrentBatches(2).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "old");
            harness.process(frame("line-a", "f1"));
            harness.process(setShots("line-a", "replace", "new"));
            harness.process(frame("line-a", "f2"));

            assertThat(backend.bankCalls).as("set shots waits for f1").hasSize(1);
            assertThat(backend.batches).as("f2 waits for the set shots").hasSize(1);
            assertThat(FakeBackend.bankText(backend.batch(0).requests().get(0)))
                    .isEqualTo("old|null");

            backend.batch(0).succeed(0.3f);
            harness.drainMailbox();
            assertThat(harness.orderOf("line-a")).endsWith("frame:f1");
            assertThat(backend.bankCall(1).request().baseBank()).isNull();
            assertThat(backend.bankCall(1).newShotNames()).containsExactly("new");
            assertThat(backend.batches).as("f2 still waits for the new bank").hasSize(1);

            backend.bankCall(1).succeed();
            harness.drainMailbox();
            ScoringRequest f2Request = backend.batch(1).requests().get(0);
            assertThat(f2Request.frameId()).isEqualTo("f2");
            assertThat(FakeBackend.bankText(f2Request)).isEqualTo("new|null");
            assertThat(f2Request.bank().version()).isEqualTo(2);

            backend.batch(1).succeed(0.4f);
            harness.drainMailbox();
            assertThat(harness.orderOf("line-a"))
                    .containsExactly(
                            "command:shots-line-a-0", "frame:f1", "command:replace", "frame:f2");
            assertThat(harness.score("f1").shotsVersion()).isEqualTo(1);
            assertThat(harness.score("f2").shotsVersion()).isEqualTo(2);
            CommandOutcome replaced = harness.outcomes().get(1);
            assertThat(replaced.status()).isEqualTo(CommandStatus.APPLIED);
            assertThat(replaced.shotsVersion()).isEqualTo(2);
            assertThat(replaced.shotCount()).isEqualTo(1);
        }
    }

    @Test
    void shotChangesBuildOnTheCurrentBankAndBumpTheVersion() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxBatchSize(1).build(), backend)) {
            harness.process(TestInputs.setShotsWithCategory("line-a", "c1", "widget", "s1"));
            backend.bankCall(0).succeed();
            harness.process(addShots("line-a", "c2", "s2"));
            harness.drainMailbox();
            assertThat(new String(backend.bankCall(1).request().baseBank())).isEqualTo("s1|widget");
            assertThat(backend.bankCall(1).request().category()).isEqualTo("widget");
            backend.bankCall(1).succeed();
            harness.process(setCategory("line-a", "c3", "gadget"));
            harness.drainMailbox();
            assertThat(backend.bankCall(2).request().newShots()).isEmpty();
            assertThat(backend.bankCall(2).request().category()).isEqualTo("gadget");
            backend.bankCall(2).succeed();
            harness.drainMailbox();

            harness.process(frame("line-a", "f1"));
            assertThat(FakeBackend.bankText(backend.batch(0).requests().get(0)))
                    .isEqualTo("s1,s2|gadget");
            backend.batch(0).succeed(0.5f);
            harness.drainMailbox();
            harness.process(clearShots("line-a", "c4"));
            harness.process(frame("line-a", "f2"));
            harness.process(setCategory("line-a", "c5", "bracket"));

            assertThat(harness.outcomes())
                    .extracting(
                            CommandOutcome::commandId,
                            CommandOutcome::status,
                            CommandOutcome::shotsVersion,
                            CommandOutcome::shotCount)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("c1", CommandStatus.APPLIED, 1L, 1),
                            org.assertj.core.groups.Tuple.tuple("c2", CommandStatus.APPLIED, 2L, 2),
                            org.assertj.core.groups.Tuple.tuple("c3", CommandStatus.APPLIED, 3L, 2),
                            org.assertj.core.groups.Tuple.tuple("c4", CommandStatus.APPLIED, 4L, 0),
                            org.assertj.core.groups.Tuple.tuple(
                                    "c5", CommandStatus.APPLIED, 4L, 0));
            assertThat(harness.score("f1").category()).isEqualTo("gadget");
            assertThat(harness.score("f1").shotsVersion()).isEqualTo(3);
            assertThat(harness.score("f2").status()).isEqualTo(ScoreStatus.NO_REFERENCE);
            assertThat(harness.score("f2").shotsVersion()).isEqualTo(4);
            assertThat(backend.bankCalls)
                    .as("category of a line without shots: no build")
                    .hasSize(3);
            assertThat(harness.orderOf("line-a"))
                    .containsExactly(
                            "command:c1",
                            "command:c2",
                            "command:c3",
                            "frame:f1",
                            "command:c4",
                            "frame:f2",
                            "command:c5");
        }
    }

    @Test
    void heatmapAndBankHashOfTheBackendReachTheScore() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxBatchSize(1).build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
            backend.batch(0)
                    .answer()
                    .complete(
                            List.of(
                                    FrameScoreResult.scored(
                                            new ScoreValues(
                                                    0.9f,
                                                    0.8f,
                                                    0.7f,
                                                    0.6f,
                                                    0.5f,
                                                    new float[] {0.1f, 0.9f},
                                                    png,
                                                    "bank-hash"))));
            harness.drainMailbox();

            FrameScore score = harness.score("f1");
            assertThat(score.heatmapPng()).isEqualTo(png);
            assertThat(score.shotsHash()).isEqualTo("bank-hash");
            assertThat(score.patchMap()).containsExactly(0.1f, 0.9f);
            assertThat(score.holisticScore()).isEqualTo(0.8f);
            assertThat(score.textScore()).isEqualTo(0.5f);
        }
    }

    @Test
    void thresholdAndAlertPolicyApplyToLaterFrames() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxBatchSize(1).build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            AlertPolicy policy = new AlertPolicy(2, 5, 60_000L);
            harness.process(setThreshold("line-a", "t", 0.8));
            harness.process(setAlertPolicy("line-a", "p", policy));
            harness.process(frame("line-a", "low"));
            backend.batch(0).succeed(0.7f);
            harness.drainMailbox();
            harness.process(frame("line-a", "high"));
            backend.batch(1).succeed(0.85f);
            harness.drainMailbox();

            assertThat(harness.outcomes())
                    .extracting(CommandOutcome::status, CommandOutcome::shotsVersion)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(CommandStatus.APPLIED, 1L));
            assertThat(backend.batch(0).requests().get(0).threshold())
                    .as("the backend learns the threshold, e.g. to render heatmaps")
                    .isEqualTo(0.8);
            FrameScore low = harness.score("low");
            assertThat(low.threshold()).isEqualTo(0.8);
            assertThat(low.anomalous()).isFalse();
            assertThat(low.alertPolicy()).isEqualTo(policy);
            assertThat(harness.score("high").anomalous()).isTrue();
        }
    }

    static Stream<Arguments> invalidCommands() {
        return Stream.of(
                Arguments.of(
                        setShots("line-a", "c"),
                        "set shots needs at least one shot image, found none"),
                Arguments.of(
                        setShots("line-a", "c", "s1", "s2", "s3"),
                        "line line-a would have 3 shots, more than the maximum of 2 per line"),
                Arguments.of(
                        LineInput.of(
                                LineCommand.setShots(
                                        TestInputs.header("line-a", "c"),
                                        List.of(
                                                new ImagePayload(
                                                        ImageEncoding.JPEG, 2, 2, new byte[0])),
                                        null)),
                        "shot image 0 has no data"),
                Arguments.of(
                        addShots("line-a", "c"),
                        "add shots needs at least one shot image, found none"),
                Arguments.of(
                        setThreshold("line-a", "c", 1.5),
                        "threshold must be a number in [0, 1], found 1.5"),
                Arguments.of(
                        setThreshold("line-a", "c", Double.NaN),
                        "threshold must be a number in [0, 1], found NaN"),
                Arguments.of(
                        setCategory("line-a", "c", " "),
                        "set category needs a category name, found none"),
                Arguments.of(
                        setCategory("line-a", "c", "x".repeat(300_000)),
                        "set category: category is too long: expected at most 256 characters,"
                                + " found 300000"),
                Arguments.of(
                        TestInputs.setShotsWithCategory("line-a", "c", "y".repeat(257), "s1"),
                        "set shots: category is too long: expected at most 256 characters,"
                                + " found 257"),
                Arguments.of(
                        setAlertPolicy("line-a", "c", null),
                        "set alert policy needs a policy, found none"),
                Arguments.of(
                        setAlertPolicy("line-a", "c", new AlertPolicy(3, 2, 0L)),
                        "alert policy window must be between 3 (the anomalous frames) and 1000"
                                + " frames, found 2"),
                Arguments.of(
                        setAlertPolicy("line-a", "c", new AlertPolicy(1, 2, -1L)),
                        "alert policy cooldown must not be negative, found -1 ms"));
    }

    @ParameterizedTest
    @MethodSource("invalidCommands")
    void invalidCommandIsRejectedWithTheReasonAndChangesNothing(LineInput command, String reason)
            throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxShotsPerLine(2).build(), backend)) {
            harness.process(command);
            harness.process(frame("line-a", "f1"));

            CommandOutcome outcome = harness.outcomes().get(0);
            assertThat(outcome.status()).isEqualTo(CommandStatus.REJECTED);
            assertThat(outcome.reason()).isEqualTo(reason);
            assertThat(outcome.shotsVersion()).isZero();
            assertThat(outcome.shotCount()).isZero();
            assertThat(backend.bankCalls).isEmpty();
            assertThat(harness.score("f1").status()).isEqualTo(ScoreStatus.NO_REFERENCE);
            assertThat(harness.score("f1").threshold()).isEqualTo(0.5);
        }
    }

    @Test
    void addShotsBeyondTheMaximumIsRejected() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxShotsPerLine(2).build(), backend)) {
            giveShots(harness, backend, "line-a", "s1", "s2");
            harness.process(addShots("line-a", "more", "s3"));

            CommandOutcome outcome = harness.outcomes().get(1);
            assertThat(outcome.status()).isEqualTo(CommandStatus.REJECTED);
            assertThat(outcome.reason())
                    .isEqualTo(
                            "line line-a would have 3 shots, more than the maximum of 2 per line");
            assertThat(outcome.shotsVersion()).isEqualTo(1);
            assertThat(outcome.shotCount()).isEqualTo(2);
        }
    }

    @Test
    void batchMixesLinesAndIsSentWhenFull() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxBatchSize(3).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            for (String line : List.of("line-a", "line-b", "line-c")) {
                giveShots(harness, backend, line, line + "-shot");
            }
            harness.process(frame("line-a", "a1"));
            harness.process(frame("line-b", "b1"));
            assertThat(backend.batches).isEmpty();
            harness.process(frame("line-c", "c1"));

            assertThat(backend.batch(0).requests())
                    .extracting(ScoringRequest::lineId, ScoringRequest::frameId)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("line-a", "a1"),
                            org.assertj.core.groups.Tuple.tuple("line-b", "b1"),
                            org.assertj.core.groups.Tuple.tuple("line-c", "c1"));
        }
    }

    @Test
    void partialBatchIsSentWhenItsOldestFrameHasWaitedTheMaximumWait() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxBatchSize(3).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "a-shot");
            giveShots(harness, backend, "line-b", "b-shot");
            harness.setProcessingTime(10);
            harness.process(frame("line-a", "a1"));
            harness.setProcessingTime(30);
            harness.process(frame("line-b", "b1"));
            harness.setProcessingTime(59);
            assertThat(backend.batches).isEmpty();

            harness.setProcessingTime(60);

            assertThat(backend.batch(0).frameIds()).containsExactly("a1", "b1");
        }
    }

    @Test
    void nextBatchCollectsFramesWhileTheRunningOneIsBusy() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxBatchSize(2).maxConcurrentBatches(1).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "a-shot");
            for (int i = 1; i <= 5; i++) {
                harness.process(frame("line-a", "f" + i));
            }
            assertThat(backend.batches).hasSize(1);

            backend.batch(0).succeed(0.1f);
            harness.drainMailbox();
            assertThat(backend.batches).hasSize(2);
            assertThat(backend.batch(1).frameIds()).containsExactly("f3", "f4");

            backend.batch(1).succeed(0.1f);
            harness.setProcessingTime(50);
            assertThat(backend.batch(2).frameIds()).containsExactly("f5");
        }
    }

    @Test
    void waitingOnlyWhenBusySendsAFrameAtOnceWhileNoBatchRunsAndFillsTheNextMeanwhile()
            throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config =
                config().maxBatchSize(3)
                        .maxConcurrentBatches(2)
                        .batchWaitOnlyWhenBusy(true)
                        .build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "a-shot");
            harness.setProcessingTime(10);

            harness.process(frame("line-a", "f1"));

            // Idle model: the frame goes without waiting for mates.
            assertThat(backend.batches).hasSize(1);
            assertThat(backend.batch(0).frameIds()).containsExactly("f1");

            // Busy model: the next frames wait for their batch to fill, or for the maximum wait.
            harness.process(frame("line-a", "f2"));
            harness.process(frame("line-a", "f3"));
            harness.setProcessingTime(59);
            assertThat(backend.batches).hasSize(1);
            harness.process(frame("line-a", "f4"));
            assertThat(backend.batches).hasSize(2);
            assertThat(backend.batch(1).frameIds()).containsExactly("f2", "f3", "f4");

            // One slot free, one batch still running: the model is busy, so f5 waits.
            backend.batch(0).succeed(0.1f);
            harness.drainMailbox();
            harness.process(frame("line-a", "f5"));
            harness.setProcessingTime(108);
            assertThat(backend.batches).hasSize(2);
            harness.setProcessingTime(109);
            assertThat(backend.batches).hasSize(3);
            assertThat(backend.batch(2).frameIds()).containsExactly("f5");

            backend.batch(1).succeed(0.1f);
            backend.batch(2).succeed(0.1f);
            harness.drainMailbox();
            assertThat(harness.scores())
                    .extracting(FrameScore::frameId)
                    .containsExactly("f1", "f2", "f3", "f4", "f5");
        }
    }

    @Test
    void withoutWaitingOnlyWhenBusyAFrameWaitsForMatesEvenWhenTheModelIsIdle() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config = config().maxBatchSize(3).build();
        assertThat(config.batchWaitOnlyWhenBusy()).isFalse();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            giveShots(harness, backend, "line-a", "a-shot");
            harness.setProcessingTime(10);
            harness.process(frame("line-a", "f1"));
            assertThat(backend.batches).isEmpty();
            harness.setProcessingTime(60);
            assertThat(backend.batch(0).frameIds()).containsExactly("f1");
        }
    }

    @Test
    void watermarkWaitsForTheInputsBeforeIt() throws Exception {
        FakeBackend backend = FakeBackend.create();
        try (OperatorHarness harness =
                OperatorHarness.open(config().maxBatchSize(1).build(), backend)) {
            giveShots(harness, backend, "line-a", "s1");
            harness.process(frame("line-a", "f1"));
            harness.processWatermark(100);
            assertThat(harness.rawOutput()).noneMatch(Watermark.class::isInstance);

            backend.batch(0).succeed(0.2f);
            harness.drainMailbox();
            harness.processWatermark(200);

            List<Object> raw = harness.rawOutput();
            assertThat(raw.subList(raw.size() - 3, raw.size()))
                    .satisfiesExactly(
                            first ->
                                    assertThat(
                                                    ((LineOutput)
                                                                    ((StreamRecord<?>) first)
                                                                            .getValue())
                                                            .score()
                                                            .frameId())
                                            .isEqualTo("f1"),
                            second -> assertThat(second).isEqualTo(new Watermark(100)),
                            third -> assertThat(third).isEqualTo(new Watermark(200)));
        }
    }

    @Test
    void endOfInputSendsWaitingFramesAndWaitsForTheirScores() throws Exception {
        FakeBackend backend =
                FakeBackend.create()
                        .answeringBanks()
                        .answeringBatchesWith(
                                requests ->
                                        requests.stream()
                                                .map(
                                                        r ->
                                                                FrameScoreResult.scored(
                                                                        FakeBackend.values(0.3f)))
                                                .collect(Collectors.toList()));
        InferenceOperatorConfig config =
                config().maxBatchSize(8).maxBatchWait(Duration.ofHours(1)).build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            harness.process(setShots("line-a", "c1", "s1"));
            harness.process(frame("line-a", "f1"));
            harness.process(frame("line-a", "f2"));

            harness.endInput();

            assertThat(harness.orderOf("line-a"))
                    .containsExactly("command:c1", "frame:f1", "frame:f2");
            assertThat(harness.scores()).allMatch(s -> s.status() == ScoreStatus.SCORED);
        }
        assertThat(backend.closed).isTrue();
    }
}
