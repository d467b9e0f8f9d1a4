package io.inctrlstream.launcher.internal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineBenchResultTest {
    @TempDir Path folder;

    static PipelineBenchResult sample() {
        return new PipelineBenchResult(
                "pipeline",
                "2026-12-01T16:00:00Z",
                "inctrl-tiny@1",
                4,
                2,
                1,
                8,
                2,
                "Debian OpenJDK 64-Bit Server VM 17.0.15",
                "process",
                120.5,
                80.25,
                12.0,
                0.01,
                95.0,
                true,
                60.0,
                0.5,
                0.02,
                480,
                900.0,
                30.0,
                600,
                42.0,
                120.0,
                180.0,
                0.03,
                35.0,
                90.0,
                1.5,
                2.25,
                150.0,
                Map.of("execution.buffer-timeout", "5 ms"));
    }

    @Test
    void theJsonHasTheIssuesFieldNamesInSnakeCaseWithTheirValues() throws Exception {
        JsonNode json = new ObjectMapper().readTree(sample().toJson());
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly(
                        "benchmark",
                        "started_at",
                        "model_id",
                        "lines",
                        "threads",
                        "parallelism",
                        "batch_size",
                        "cores",
                        "jvm",
                        "broker",
                        "engine_fps",
                        "engine_serial_fps",
                        "engine_warmup_s",
                        "engine_jit_cores",
                        "pipeline_warmup_s",
                        "jit_settled",
                        "pipeline_fps",
                        "pipeline_to_engine",
                        "saturation_jit_cores",
                        "saturation_frames",
                        "producer_fps",
                        "latency_rate_fps",
                        "latency_frames",
                        "latency_p50_ms",
                        "latency_p99_ms",
                        "latency_max_ms",
                        "latency_jit_cores",
                        "latency_to_scored_p50_ms",
                        "latency_to_scored_p99_ms",
                        "load1m_before",
                        "load1m_after",
                        "seconds",
                        "job_settings");
        assertThat(json.get("engine_fps").asDouble()).isEqualTo(120.5);
        assertThat(json.get("pipeline_fps").asDouble()).isEqualTo(60.0);
        assertThat(json.get("latency_p50_ms").asDouble()).isEqualTo(42.0);
        assertThat(json.get("latency_p99_ms").asDouble()).isEqualTo(120.0);
        assertThat(json.get("load1m_before").asDouble()).isEqualTo(1.5);
        assertThat(json.get("model_id").asText()).isEqualTo("inctrl-tiny@1");
        assertThat(json.get("job_settings").get("execution.buffer-timeout").asText())
                .isEqualTo("5 ms");
    }

    @Test
    void writeJsonWritesTheSameDocumentToAFile() throws Exception {
        Path file = folder.resolve("bench.json");
        sample().writeJson(file);
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(Files.readString(file)))
                .isEqualTo(mapper.readTree(sample().toJson()));
    }
}
