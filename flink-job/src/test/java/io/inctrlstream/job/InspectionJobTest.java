package io.inctrlstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.inference.LineInference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;

/** The job graph the builder makes, without running it. */
class InspectionJobTest {
    private static final String CHECKPOINTS = "file:///tmp/inctrl-test-checkpoints";

    private static StreamGraph graph(Configuration config, StreamExecutionEnvironment env) {
        InspectionJob.build(
                env,
                config,
                new InMemorySources(List.of()),
                new CollectingSinks(),
                new InspectionModel(BrightnessBackend.MODEL_ID, BrightnessBackend.factory()));
        return env.getStreamGraph();
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream()
                .filter(node -> uid.equals(node.getTransformationUID()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no operator with uid " + uid));
    }

    @Test
    void statefulStagesHaveStableUidsAndOnlyTheInferenceStageShuffles() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamGraph graph = graph(withCheckpointDirectory(), env);

        StreamNode decode = node(graph, InspectionJob.DECODE_UID);
        StreamNode inference = node(graph, LineInference.UID);
        StreamNode encode = node(graph, InspectionJob.ENCODE_UID);
        StreamNode alerts = node(graph, InspectionJob.ALERTS_UID);

        assertThat(decode.getInEdges())
                .allSatisfy(
                        edge ->
                                assertThat(edge.getPartitioner())
                                        .isInstanceOf(ForwardPartitioner.class));
        assertThat(decode.getParallelism()).as("decode runs beside its source").isEqualTo(1);
        assertThat(inference.getInEdges())
                .singleElement()
                .satisfies(
                        edge ->
                                assertThat(edge.getPartitioner())
                                        .isInstanceOf(KeyGroupStreamPartitioner.class));
        for (StreamNode stage : List.of(encode, alerts)) {
            assertThat(stage.getInEdges())
                    .singleElement()
                    .satisfies(edge -> assertThat(edge.getSourceId()).isEqualTo(inference.getId()))
                    .satisfies(
                            edge ->
                                    assertThat(edge.getPartitioner())
                                            .isInstanceOf(ForwardPartitioner.class));
            assertThat(stage.getParallelism()).isEqualTo(inference.getParallelism());
        }
        Map<Integer, List<StreamEdge>> sinksByInput =
                graph.getStreamNodes().stream()
                        .filter(node -> node.getOutEdges().isEmpty())
                        .flatMap(sink -> sink.getInEdges().stream())
                        .collect(Collectors.groupingBy(StreamEdge::getSourceId));
        assertThat(sinksByInput.keySet())
                .containsExactlyInAnyOrder(decode.getId(), encode.getId(), alerts.getId());
    }

    @Test
    void configuresStateBackendAndCheckpointsFromTheOptions() {
        Configuration config = withCheckpointDirectory();
        config.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(7));
        config.set(InspectionJobOptions.CHECKPOINT_TIMEOUT, Duration.ofMinutes(2));
        config.set(InspectionJobOptions.CHECKPOINT_TOLERABLE_FAILURES, 4);
        config.set(InspectionJobOptions.CHECKPOINT_MIN_PAUSE, Duration.ofSeconds(3));
        config.set(InspectionJobOptions.CHECKPOINT_UNALIGNED, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        graph(config, env);

        assertThat(env.getConfiguration().get(StateBackendOptions.STATE_BACKEND))
                .isEqualTo("rocksdb");
        assertThat(env.getConfiguration().get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS))
                .isTrue();
        assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINT_STORAGE))
                .isEqualTo("filesystem");
        assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(CHECKPOINTS);
        assertThat(env.getCheckpointInterval()).isEqualTo(7_000);
        CheckpointConfig checkpoints = env.getCheckpointConfig();
        assertThat(checkpoints.getExternalizedCheckpointRetention())
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(checkpoints.getCheckpointTimeout()).isEqualTo(120_000);
        assertThat(checkpoints.getTolerableCheckpointFailureNumber()).isEqualTo(4);
        assertThat(checkpoints.getMinPauseBetweenCheckpoints()).isEqualTo(3_000);
        assertThat(checkpoints.isUnalignedCheckpointsEnabled()).isTrue();
        assertThat(env.getMaxParallelism())
                .isEqualTo(InspectionJobOptions.MAX_PARALLELISM.defaultValue());

        Configuration heap = new Configuration();
        heap.set(InspectionJobOptions.STATE_BACKEND, StateBackendKind.HASHMAP);
        heap.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
        heap.set(InspectionJobOptions.MAX_PARALLELISM, 64);
        StreamExecutionEnvironment heapEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        graph(heap, heapEnv);

        assertThat(heapEnv.getConfiguration().get(StateBackendOptions.STATE_BACKEND))
                .isEqualTo("hashmap");
        assertThat(heapEnv.getCheckpointInterval()).isEqualTo(-1);
        assertThat(heapEnv.getMaxParallelism()).isEqualTo(64);
    }

    @Test
    void refusesToBuildWithCheckpointsButNoDirectory() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        assertThatThrownBy(() -> graph(new Configuration(), env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inctrl.checkpoint.dir")
                .hasMessageContaining("execution.checkpointing.dir");
    }

    private static Configuration withCheckpointDirectory() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.CHECKPOINT_DIR, CHECKPOINTS);
        return config;
    }
}
