package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.TestInputs.setShots;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A command the decode stage refused (not authenticated) is answered REJECTED with the refusal and
 * leaves its line as it was, without asking the backend; its origin is echoed in every outcome.
 */
@Timeout(60)
class RefusedCommandTest {
    @Test
    void aRefusedCommandIsRejectedWithItsReasonAndTheLineIsUnchanged() throws Exception {
        FakeBackend backend = FakeBackend.create();
        InferenceOperatorConfig config =
                InferenceOperatorConfig.builder()
                        .maxBatchWait(Duration.ofMillis(50))
                        .maxBatchSize(1)
                        .build();
        try (OperatorHarness harness = OperatorHarness.open(config, backend)) {
            CommandOutcome shots =
                    LineInferenceOperatorTest.giveShots(harness, backend, "line-a", "s1");
            CommandOrigin signed = new CommandOrigin("User:alice", "ops-1", null);
            CommandOrigin forged = new CommandOrigin("User:alice", null, "not authenticated: x");

            harness.process(
                    LineInput.of(setThreshold("line-a", "t1", 0.7).command().withOrigin(signed)));
            harness.process(
                    LineInput.of(setShots("line-a", "s2", "other").command().withOrigin(forged)));
            harness.process(
                    LineInput.of(setThreshold("line-a", "t2", 0.1).command().withOrigin(forged)));
            harness.drainMailbox();

            assertThat(backend.bankCalls).as("no bank built for a refused command").hasSize(1);
            CommandOutcome applied = harness.outcomes().get(1);
            assertThat(applied.status()).isEqualTo(CommandStatus.APPLIED);
            assertThat(applied.origin()).isEqualTo(signed);
            for (CommandOutcome rejected : harness.outcomes().subList(2, 4)) {
                assertThat(rejected.status()).isEqualTo(CommandStatus.REJECTED);
                assertThat(rejected.reason()).isEqualTo("not authenticated: x");
                assertThat(rejected.origin()).isEqualTo(forged);
                assertThat(rejected.shotsVersion()).isEqualTo(shots.shotsVersion());
                assertThat(rejected.shotCount()).isEqualTo(1);
            }
            harness.process(TestInputs.frame("line-a", "f1"));
            backend.batch(0).succeed(0.5f);
            harness.drainMailbox();
            FrameScore score = harness.score("f1");
            assertThat(score.threshold())
                    .as("the signed threshold, not the forged one")
                    .isEqualTo(0.7);
            assertThat(score.shotsVersion()).isEqualTo(shots.shotsVersion());
        }
    }
}
