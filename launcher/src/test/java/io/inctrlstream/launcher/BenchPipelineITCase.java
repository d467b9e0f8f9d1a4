package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inctrl bench pipeline} in its smallest setting on the tiny bundle, in this JVM: the bare
 * engine, then a real Kafka broker and the job on a local Flink cluster; every phase's frames are
 * scored and the JSON holds the figures. (The figures themselves are not judged here: the machine
 * running the tests is shared.)
 */
class BenchPipelineITCase {
    @TempDir Path folder;

    @Test
    void theSmallestRunMeasuresEveryFigureAndWritesThemAsJson() throws Exception {
        Path json = folder.resolve("bench.json");
        CliRun run =
                CliRun.of(
                        "bench",
                        "pipeline",
                        "--lines",
                        "1",
                        "--frames-per-line",
                        "16",
                        "--engine-duration",
                        "1s",
                        "--latency-duration",
                        "2s",
                        "--pipeline-warmup",
                        "5s",
                        "--json",
                        json.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("engine_fps", "pipeline_fps", "latency at");

        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertThat(result.get("benchmark").asText()).isEqualTo("pipeline");
        assertThat(result.get("model_id").asText()).isEqualTo("inctrl-tiny@1");
        assertThat(result.get("lines").asInt()).isEqualTo(1);
        assertThat(result.get("saturation_frames").asLong()).isEqualTo(16);
        assertThat(result.get("engine_fps").asDouble()).isPositive();
        assertThat(result.get("engine_serial_fps").asDouble()).isPositive();
        assertThat(result.get("pipeline_fps").asDouble()).isPositive();
        assertThat(result.get("latency_rate_fps").asDouble())
                .isEqualTo(result.get("pipeline_fps").asDouble() / 2);
        assertThat(result.get("latency_frames").asLong()).isPositive();
        double p50 = result.get("latency_p50_ms").asDouble();
        double p99 = result.get("latency_p99_ms").asDouble();
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(result.get("latency_max_ms").asDouble());
        assertThat(result.get("latency_to_scored_p50_ms").asDouble())
                .isPositive()
                .isLessThanOrEqualTo(p50);
        assertThat(result.get("broker").asText()).isEqualTo("process");
        assertThat(result.get("pipeline_warmup_s").asDouble()).isPositive();
        assertThat(result.get("engine_warmup_s").asDouble()).isGreaterThanOrEqualTo(1.0 / 3);
        assertThat(result.get("jit_settled").isBoolean()).isTrue();
        assertThat(result.get("saturation_jit_cores").asDouble()).isNotNegative();
        assertThat(result.get("load1m_before").asDouble()).isNotNegative();
        assertThat(result.get("cores").asInt()).isPositive();
    }
}
