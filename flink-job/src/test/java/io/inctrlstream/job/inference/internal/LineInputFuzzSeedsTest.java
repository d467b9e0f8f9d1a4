package io.inctrlstream.job.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.internal.InputDecoder;
import io.inctrlstream.job.io.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The committed seed corpus of {@link LineInputFuzzTest} holds every seed {@link
 * LineInputFuzzSeeds} makes, and the valid ones still become line inputs that validate: a seed the
 * decode stage refuses would leave the fuzzer short of the paths behind it.
 */
class LineInputFuzzSeedsTest {

    @Test
    void everyCommittedValidSeedBecomesAnApplicableLineInput() throws Exception {
        for (String name : LineInputFuzzSeeds.seeds().keySet()) {
            byte[] committed = committed(name);
            assertThat(committed)
                    .as("seed %s is missing: run LineInputFuzzSeeds (docs/fuzzing.md)", name)
                    .isNotNull();
            if (!name.startsWith("valid-")) {
                continue;
            }
            FuzzedRecord record = FuzzedRecord.parse(committed);
            try (OneInputStreamOperatorTestHarness<RawRecord, LineInput> harness =
                    ProcessFunctionTestHarnesses.forProcessFunction(
                            new InputDecoder(LineInputFuzzTest.LIMITS))) {
                harness.processElement(record.raw(0), 1L);

                assertThat(harness.getSideOutput(InputDecoder.DEAD_LETTERS)).as(name).isNull();
                LineInput input = harness.extractOutputValues().get(0);
                if (!input.isFrame()) {
                    LineSettings settings =
                            new LineSettings(0.5, null, null, 1L, record.existingShots());
                    assertThat(
                                    CommandValidation.problem(
                                            input.command(), settings, LineInputFuzzTest.MAX_SHOTS))
                            .as(name)
                            .isEmpty();
                }
            }
        }
    }

    private static byte[] committed(String name) throws IOException {
        String resource =
                "LineInputFuzzTestInputs/everyRecordBecomesALineInputOrADeadLetter/" + name;
        try (InputStream in = LineInputFuzzSeedsTest.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
