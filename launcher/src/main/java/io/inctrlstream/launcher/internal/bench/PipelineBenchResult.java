package io.inctrlstream.launcher.internal.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One {@code inctrl bench pipeline} run's figures and the conditions they were measured in, written
 * as JSON with snake_case names ({@code engine_fps}, {@code pipeline_fps}, {@code latency_p50_ms},
 * ...).
 *
 * @param benchmark always {@code pipeline}
 * @param startedAt when the run started (ISO-8601)
 * @param modelId the bundle's {@code name@version}
 * @param lines production lines
 * @param threads the thread budget (intra-op threads of the engine and the job, decode threads)
 * @param parallelism the job's parallelism
 * @param batchSize most frames per scoring batch, in the engine and in the job
 * @param cores the JVM's available processors
 * @param jvm the JVM's vendor, name and version
 * @param broker where the Kafka broker ran: {@code process} (its own JVM) or {@code in-process}
 * @param engineFps the bare engine, decoding on a pool of its own
 * @param engineSerialFps the job's backend alone, decoding and inference taking turns
 * @param engineWarmupS how long the bare engine (decoding on a pool) warmed up
 * @param engineJitCores the JIT compiler's share while engine_fps was measured, in cores
 * @param pipelineWarmupS how long the job warmed up at saturation before it was measured
 * @param jitSettled whether every warm-up ended with the JIT compiler settled (at most {@value
 *     JitSettling#SETTLED_CORES} cores in its last round) rather than at its longest
 * @param pipelineFps the whole job at saturation, from its scores topic
 * @param pipelineToEngine pipeline_fps / engine_fps
 * @param saturationJitCores the JIT compiler's share during the saturation phase, in cores
 * @param saturationFrames frames of the saturation phase
 * @param producerFps how fast the saturation frames were produced into the topic
 * @param latencyRateFps the paced producer's rate (half of pipeline_fps)
 * @param latencyFrames frames of the latency phase
 * @param latencyP50Ms capture to score read back, median
 * @param latencyP99Ms capture to score read back, 99th percentile
 * @param latencyMaxMs capture to score read back, largest
 * @param latencyJitCores the JIT compiler's share during the latency phase, in cores
 * @param latencyToScoredP50Ms capture to the job's {@code scoredTime} (in the score), median: the
 *     part of the latency before the score is handed to the scores sink
 * @param latencyToScoredP99Ms the same, 99th percentile
 * @param load1mBefore the machine's 1-minute load average before the run
 * @param load1mAfter the machine's 1-minute load average after the run
 * @param seconds how long the run took
 * @param jobSettings extra job settings given for this run
 */
@JsonPropertyOrder(alphabetic = false)
public record PipelineBenchResult(
        String benchmark,
        String startedAt,
        String modelId,
        int lines,
        int threads,
        int parallelism,
        int batchSize,
        int cores,
        String jvm,
        String broker,
        double engineFps,
        double engineSerialFps,
        double engineWarmupS,
        double engineJitCores,
        double pipelineWarmupS,
        boolean jitSettled,
        double pipelineFps,
        double pipelineToEngine,
        double saturationJitCores,
        long saturationFrames,
        double producerFps,
        double latencyRateFps,
        long latencyFrames,
        double latencyP50Ms,
        double latencyP99Ms,
        double latencyMaxMs,
        double latencyJitCores,
        double latencyToScoredP50Ms,
        double latencyToScoredP99Ms,
        double load1mBefore,
        double load1mAfter,
        double seconds,
        Map<String, String> jobSettings) {

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public PipelineBenchResult {
        jobSettings = Map.copyOf(jobSettings);
    }

    /** The result as JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the result as JSON: " + e, e);
        }
    }

    /** Writes the JSON to a file. */
    public void writeJson(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }
}
