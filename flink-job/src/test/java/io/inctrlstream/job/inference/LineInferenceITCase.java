package io.inctrlstream.job.inference;

import static io.inctrlstream.job.inference.TestInputs.addShots;
import static io.inctrlstream.job.inference.TestInputs.frame;
import static io.inctrlstream.job.inference.TestInputs.setShots;
import static io.inctrlstream.job.inference.TestInputs.setThreshold;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator in a real (local MiniCluster) job: real mailbox, processing-time timers, keyBy over
 * two subtasks, a blocking backend on its dedicated thread, end of input, and no Kryo anywhere.
 */
@Timeout(120)
class LineInferenceITCase {

    /** Banks are the shot names as text; every frame scores 0.5. */
    static final class TextBackend implements BlockingInferenceBackend {
        @Override
        public BuiltBank buildBank(BankBuildRequest request) {
            List<String> shots = new ArrayList<>();
            if (request.baseBank() != null) {
                shots.addAll(
                        List.of(new String(request.baseBank(), StandardCharsets.UTF_8).split(",")));
            }
            request.newShots()
                    .forEach(shot -> shots.add(new String(shot.data(), StandardCharsets.UTF_8)));
            return new BuiltBank(
                    String.join(",", shots).getBytes(StandardCharsets.UTF_8), shots.size());
        }

        @Override
        public List<FrameScoreResult> scoreBatch(List<ScoringRequest> requests) {
            return requests.stream()
                    .map(request -> FrameScoreResult.scored(FakeBackend.values(0.5f)))
                    .collect(Collectors.toList());
        }

        @Override
        public void close() {}
    }

    static final class TextBackendFactory implements InferenceBackendFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public InferenceBackend create(InferenceBackendContext context) {
            return InferenceBackends.onDedicatedThread(
                    new TextBackend(),
                    "inference-" + context.subtaskIndex(),
                    Duration.ofSeconds(10));
        }
    }

    private static List<LineInput> script(String line) {
        List<LineInput> inputs = new ArrayList<>();
        inputs.add(frame(line, line + "-f0"));
        inputs.add(setShots(line, line + "-c1", line + "-s1"));
        for (int i = 1; i <= 5; i++) {
            inputs.add(frame(line, line + "-f" + i));
        }
        inputs.add(setThreshold(line, line + "-c2", 0.9));
        inputs.add(setShots(line, line + "-c3", line + "-s2", line + "-s3"));
        for (int i = 6; i <= 10; i++) {
            inputs.add(frame(line, line + "-f" + i));
        }
        inputs.add(addShots(line, line + "-c4", line + "-s4"));
        inputs.add(frame(line, line + "-f11"));
        inputs.add(frame(line, line + "-f12"));
        return inputs;
    }

    @Test
    void everyLineIsAnsweredInOrderAgainstTheRightShots() throws Exception {
        List<String> lines = List.of("line-0", "line-1", "line-2", "line-3");
        List<List<LineInput>> scripts =
                lines.stream().map(LineInferenceITCase::script).collect(Collectors.toList());
        List<LineInput> interleaved = new ArrayList<>();
        for (int i = 0; i < scripts.get(0).size(); i++) {
            for (List<LineInput> script : scripts) {
                interleaved.add(script.get(i));
            }
        }
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(2);
        InferenceOperatorConfig config =
                InferenceOperatorConfig.builder()
                        .maxBatchSize(4)
                        .maxBatchWait(Duration.ofMillis(5))
                        .capacity(8)
                        .build();

        List<LineOutput> outputs = new ArrayList<>();
        CloseableIterator<LineOutput> results =
                LineInference.score(
                                env.fromData(interleaved, LineInference.inputType()),
                                config,
                                new TextBackendFactory(),
                                LineStateConfig.builder("text-model@1").build())
                        .executeAndCollect("line inference");
        try {
            results.forEachRemaining(outputs::add);
        } finally {
            results.close();
        }

        Map<String, List<LineOutput>> byLine =
                outputs.stream().collect(Collectors.groupingBy(LineOutput::lineId));
        for (int l = 0; l < lines.size(); l++) {
            String line = lines.get(l);
            List<String> expectedOrder =
                    scripts.get(l).stream()
                            .map(
                                    input ->
                                            input.isFrame()
                                                    ? "frame:" + input.frame().frameId()
                                                    : "command:" + input.command().commandId())
                            .collect(Collectors.toList());
            List<LineOutput> answers = byLine.get(line);
            assertThat(answers).extracting(TestInputs::describe).isEqualTo(expectedOrder);
            for (LineOutput answer : answers) {
                if (answer.isScore()) {
                    FrameScore score = answer.score();
                    int number = Integer.parseInt(score.frameId().substring(line.length() + 2));
                    long expectedVersion = number == 0 ? 0 : number <= 5 ? 1 : number <= 10 ? 2 : 3;
                    assertThat(score.shotsVersion()).as(score.frameId()).isEqualTo(expectedVersion);
                    assertThat(score.status())
                            .as(score.frameId())
                            .isEqualTo(number == 0 ? ScoreStatus.NO_REFERENCE : ScoreStatus.SCORED);
                    assertThat(score.anomalous())
                            .as(score.frameId())
                            .isEqualTo(number >= 1 && number <= 5);
                } else {
                    assertThat(answer.outcome().status()).isEqualTo(CommandStatus.APPLIED);
                }
            }
            assertThat(answers.get(answers.size() - 3).outcome().shotCount()).isEqualTo(3);
        }
    }
}
