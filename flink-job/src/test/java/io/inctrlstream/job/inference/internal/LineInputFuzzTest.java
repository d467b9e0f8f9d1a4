package io.inctrlstream.job.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.inctrlstream.job.TestRecords;
import io.inctrlstream.job.inference.ImageEncoding;
import io.inctrlstream.job.inference.ImagePayload;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.internal.InputDecoder;
import io.inctrlstream.job.internal.InputLimits;
import io.inctrlstream.job.io.DeadLetterReason;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.codec.AvroCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Coverage-guided fuzzing of the job's decode stage ({@link InputDecoder}: frame and command
 * decoding) and of the operator's command validation ({@link CommandValidation}): every record,
 * whatever its bytes and topic, becomes exactly one line input or exactly one dead letter with a
 * reason of the decode stage, never {@code DECODING_FAILED} (which would mean that an exception
 * escaped the decoders); a line input's images are within the limits; validating a command never
 * throws, and a command it accepts can be applied.
 *
 * <p>Inputs are read as {@link FuzzedRecord}s. The seed corpus ({@code LineInputFuzzTestInputs/})
 * holds a frame of every encoding and a command of every action, written by {@link
 * LineInputFuzzSeeds}. See {@code docs/fuzzing.md}.
 */
class LineInputFuzzTest {
    static final InputLimits LIMITS =
            new InputLimits(
                    TestRecords.FRAMES, TestRecords.CONTROL, 64 * 1024, 256 * 1024, 4096, 64);
    static final int MAX_SHOTS = 16;

    private static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.deadLetters();

    private OneInputStreamOperatorTestHarness<RawRecord, LineInput> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new InputDecoder(LIMITS));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @FuzzTest
    void everyRecordBecomesALineInputOrADeadLetter(byte[] input) throws Exception {
        FuzzedRecord record = FuzzedRecord.parse(input);
        harness.processElement(record.raw(offset++), 1L);
        List<LineInput> inputs = harness.extractOutputValues();
        List<DeadLetter> deadLetters = takeDeadLetters();
        harness.getOutput().clear();

        assertThat(inputs.size() + deadLetters.size()).as("outputs of one record").isEqualTo(1);
        if (!deadLetters.isEmpty()) {
            assertDecodeStageDeadLetter(deadLetters.get(0), record);
            return;
        }
        LineInput line = inputs.get(0);
        assertThat(line.lineId()).isNotEmpty();
        if (line.isFrame()) {
            assertThat(record.topic()).isEqualTo(TestRecords.FRAMES);
            assertWithinLimits(line.frame().image());
        } else {
            assertThat(record.topic()).isEqualTo(TestRecords.CONTROL);
            line.command().shots().forEach(LineInputFuzzTest::assertWithinLimits);
            assertValidationDecides(line.command(), record.existingShots());
        }
    }

    private List<DeadLetter> takeDeadLetters() throws Exception {
        List<DeadLetter> letters = new ArrayList<>();
        Queue<StreamRecord<OutboundRecord>> side = harness.getSideOutput(InputDecoder.DEAD_LETTERS);
        if (side != null) {
            for (StreamRecord<OutboundRecord> letter : side) {
                letters.add(DEAD_LETTERS.decode(letter.getValue().value()));
            }
            side.clear();
        }
        return letters;
    }

    private static void assertDecodeStageDeadLetter(DeadLetter letter, FuzzedRecord record) {
        DeadLetterReason reason = DeadLetterReason.valueOf(letter.getReasonCode());
        assertThat(reason).as(letter.getReason()).isNotEqualTo(DeadLetterReason.DECODING_FAILED);
        assertThat(reason.isImageFailure()).as(letter.getReason()).isFalse();
        assertThat(letter.getReason()).isNotBlank();
        assertThat(letter.getSourceTopic()).isEqualTo(record.topic());
        assertThat(letter.getOriginalSize()).isEqualTo(record.value().length);
        if (record.topic().equals(FuzzedRecord.OTHER_TOPIC)) {
            assertThat(reason).isEqualTo(DeadLetterReason.UNKNOWN_TOPIC);
        }
    }

    private static void assertWithinLimits(ImagePayload image) {
        assertThat(image.width()).isPositive();
        assertThat(image.height()).isPositive();
        long pixels = (long) image.width() * image.height();
        assertThat(pixels).isLessThanOrEqualTo(LIMITS.maxPixels());
        assertThat(image.data()).isNotEmpty();
        if (image.encoding() == ImageEncoding.RGB8) {
            assertThat((long) image.data().length).isEqualTo(pixels * 3);
        } else if (image.encoding() == ImageEncoding.GRAY8) {
            assertThat((long) image.data().length).isEqualTo(pixels);
        }
    }

    /**
     * The validation answers (never throws), and what it accepts is a command the line can take.
     */
    private static void assertValidationDecides(LineCommand command, int existingShots) {
        LineSettings settings = new LineSettings(0.5, null, null, 1L, existingShots);
        Optional<String> problem = CommandValidation.problem(command, settings, MAX_SHOTS);
        if (problem.isPresent()) {
            assertThat(problem.get()).isNotBlank();
            return;
        }
        switch (command.action()) {
            case SET_SHOTS -> assertThat(command.shots()).hasSizeBetween(1, MAX_SHOTS);
            case ADD_SHOTS -> {
                assertThat(command.shots()).isNotEmpty();
                assertThat(existingShots + command.shots().size()).isLessThanOrEqualTo(MAX_SHOTS);
            }
            case SET_THRESHOLD -> assertThat(command.threshold()).isBetween(0.0, 1.0);
            case SET_CATEGORY -> assertThat(command.category()).isNotBlank();
            case SET_ALERT_POLICY -> assertThat(command.alertPolicy().problem()).isEmpty();
            case CLEAR_SHOTS -> {}
        }
    }
}
