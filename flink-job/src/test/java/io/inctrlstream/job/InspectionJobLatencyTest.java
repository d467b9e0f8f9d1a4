package io.inctrlstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job's network buffer timeout ({@code inctrl.network.buffer-timeout}) on its graph. */
class InspectionJobLatencyTest {
    private static StreamGraph build(Configuration settings) {
        Configuration config = new Configuration(settings);
        config.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO); // no storage needed
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        InspectionJob.build(
                env,
                config,
                new InMemorySources(List.of()),
                new CollectingSinks(),
                new InspectionModel(BrightnessBackend.MODEL_ID, BrightnessBackend.factory()));
        return env.getStreamGraph();
    }

    @Test
    void everyTaskFlushesItsBuffersAfterFiveMillisecondsByDefault() {
        StreamGraph graph = build(new Configuration());
        assertThat(graph.getStreamNodes())
                .isNotEmpty()
                .extracting(StreamNode::getBufferTimeout)
                .containsOnly(5L);
    }

    @Test
    void theOptionWinsOverFlinksOwnSettingAndZeroFlushesEveryRecord() {
        Configuration config = new Configuration();
        config.setString("execution.buffer-timeout", "100 ms");
        config.set(InspectionJobOptions.BUFFER_TIMEOUT, Duration.ZERO);
        assertThat(build(config).getStreamNodes())
                .extracting(StreamNode::getBufferTimeout)
                .containsOnly(0L);
        config.set(InspectionJobOptions.BUFFER_TIMEOUT, Duration.ofMillis(100));
        assertThat(build(config).getStreamNodes())
                .extracting(StreamNode::getBufferTimeout)
                .containsOnly(100L);
    }

    @Test
    void aNegativeTimeoutIsRefusedByName() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.BUFFER_TIMEOUT, Duration.ofMillis(-1));
        assertThatThrownBy(() -> build(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "inctrl.network.buffer-timeout must be >= 0 (0: send after every record),"
                                + " found PT-0.001S");
    }
}
