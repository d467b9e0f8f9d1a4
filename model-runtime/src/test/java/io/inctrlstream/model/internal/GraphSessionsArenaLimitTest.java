package io.inctrlstream.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.model.CudaMemoryShares;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the engine's GPU memory limit becomes each session's arena limit, with the tiny bundle's real
 * graph files (no CUDA needed: the split is computed before any session opens).
 */
class GraphSessionsArenaLimitTest {
    private static final ModelBundle TINY = tiny();

    @Test
    void onCudaEachSessionGetsItsWeightsAndItsShareOfTheRestWithinTheLimit() throws Exception {
        long limit = 64L << 20;
        Map<String, Long> limits =
                GraphSessions.arenaLimits(
                        TINY, cuda().cudaMemoryLimitBytes(limit).build(), Device.CUDA);

        long weights = 0;
        for (String graph : GraphContract.GRAPH_NAMES) {
            weights += Files.size(TINY.file(graph));
        }
        long rest = limit - weights;
        assertThat(limits.keySet()).containsExactlyElementsOf(GraphContract.GRAPH_NAMES);
        assertThat(limits.get(GraphContract.IMAGE_ENCODER))
                .isEqualTo(
                        Files.size(TINY.file(GraphContract.IMAGE_ENCODER)) + (long) (rest * 0.5));
        assertThat(limits.get(GraphContract.SCORER))
                .isEqualTo(Files.size(TINY.file(GraphContract.SCORER)) + (long) (rest * 0.4));
        assertThat(limits.values().stream().mapToLong(Long::longValue).sum())
                .isLessThanOrEqualTo(limit)
                .isGreaterThan(limit - 3);
    }

    @Test
    void withoutALimitOrOffCudaNoArenaIsLimited() throws Exception {
        assertThat(GraphSessions.arenaLimits(TINY, cuda().build(), Device.CUDA)).isEmpty();
        assertThat(
                        GraphSessions.arenaLimits(
                                TINY, cuda().cudaMemoryLimitBytes(1L << 30).build(), Device.CPU))
                .as("fell back to the CPU")
                .isEmpty();
    }

    @Test
    void aLimitBelowTheWeightsIsRefusedNamingTheWeights() {
        EngineConfig tooSmall =
                cuda().cudaMemoryLimitBytes(EngineConfig.MIN_CUDA_MEMORY_LIMIT_BYTES).build();

        assertThatThrownBy(() -> GraphSessions.arenaLimits(TINY, tooSmall, Device.CUDA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "a CUDA memory limit of 1048576 bytes leaves 0 bytes beyond the graphs'"
                                + " weights (")
                .hasMessageContaining("image_encoder=")
                .hasMessageEndingWith(
                        "); split by the shares image_encoder:0.5,scorer:0.4,text_encoder:0.1,"
                                + " image_encoder would have 0 bytes to run in, expected at least"
                                + " 1048576 (1 MiB)");
    }

    @Test
    void aFailedAllocationNamesTheSessionsLimit() {
        EngineConfig config =
                cuda().cudaMemoryLimitBytes(1L << 30)
                        .cudaMemoryShares(CudaMemoryShares.of(2, 1, 1))
                        .build();

        assertThat(GraphSessions.describeArenaLimit(config, 322122547))
                .isEqualTo(
                        "its CUDA memory arena holds at most 322122547 bytes, its weights and its"
                                + " share of the rest of the engine's limit of 1073741824 bytes"
                                + " (shares image_encoder:2.0,scorer:1.0,text_encoder:1.0)");
        assertThat(GraphSessions.describeArenaLimit(config, 0)).as("no limit").isNull();
    }

    private static EngineConfig.Builder cuda() {
        return EngineConfig.builder().device(Device.CUDA);
    }

    private static ModelBundle tiny() {
        try {
            return ModelBundle.load(
                    Paths.get(System.getProperty("inctrl.tinyBundle", "bundles/inctrl-tiny")));
        } catch (Exception e) {
            throw new IllegalStateException("the tiny bundle cannot be loaded", e);
        }
    }
}
