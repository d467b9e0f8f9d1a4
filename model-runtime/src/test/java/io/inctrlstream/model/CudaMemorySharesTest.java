package io.inctrlstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an engine's GPU memory limit is split among its sessions. */
class CudaMemorySharesTest {
    private static final Map<String, Long> WEIGHTS =
            Map.of("image_encoder", 470L << 20, "scorer", 1L << 20, "text_encoder", 365L << 20);

    @Test
    void eachPartIsTheGraphsWeightsPlusItsShareOfTheRest() {
        CudaMemoryShares shares = CudaMemoryShares.of(2, 1, 1);
        long limit = (836L << 20) + (4L << 20) + 1000;

        assertThat(shares.parts(limit, WEIGHTS))
                .containsExactly(
                        entry("image_encoder", (470L << 20) + (2L << 20) + 500),
                        entry("scorer", (1L << 20) + (1L << 20) + 250),
                        entry("text_encoder", (365L << 20) + (1L << 20) + 250));
    }

    @Test
    void thePartsStayWithinTheLimit() {
        long limit = (4L << 30) + 7;

        long sum =
                CudaMemoryShares.DEFAULT.parts(limit, WEIGHTS).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();

        assertThat(sum).isLessThanOrEqualTo(limit).isGreaterThan(limit - 3);
    }

    @Test
    void theDefaultGivesTheImageEncoderMostOfTheWorkingMemory() {
        assertThat(CudaMemoryShares.DEFAULT.byGraph())
                .containsExactly(
                        entry("image_encoder", 0.5),
                        entry("scorer", 0.4),
                        entry("text_encoder", 0.1));
        assertThat(CudaMemoryShares.DEFAULT.parts((836L << 20) + (10L << 20), WEIGHTS))
                .containsEntry("image_encoder", (470L << 20) + (5L << 20))
                .containsEntry("scorer", (1L << 20) + (4L << 20))
                .containsEntry("text_encoder", (365L << 20) + (1L << 20));
    }

    @Test
    void aLimitThatLeavesASessionLessThanOneMebibyteBeyondTheWeightsIsRefused() {
        Map<String, Long> weights =
                Map.of("image_encoder", 100L, "scorer", 100L, "text_encoder", 100L);

        assertThatThrownBy(() -> CudaMemoryShares.DEFAULT.parts((5L << 20) + 300, weights))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "a CUDA memory limit of 5243180 bytes leaves 5242880 bytes beyond the"
                                + " graphs' weights (300 bytes: ")
                .hasMessageEndingWith(
                        "); split by the shares image_encoder:0.5,scorer:0.4,text_encoder:0.1,"
                                + " text_encoder would have 524288 bytes to run in, expected at"
                                + " least 1048576 (1 MiB)");
        assertThatThrownBy(() -> CudaMemoryShares.DEFAULT.parts(0, weights))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the CUDA memory limit to split must be positive, found 0");
        assertThatThrownBy(
                        () ->
                                CudaMemoryShares.DEFAULT.parts(
                                        1L << 30, Map.of("image_encoder", 1L, "scorer", 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "expected the weight bytes of every graph [image_encoder, scorer,"
                                + " text_encoder], found ");
    }

    @Test
    void sharesByNameAreKeptInTheBundlesGraphOrder() {
        CudaMemoryShares shares =
                CudaMemoryShares.of(
                        Map.of("text_encoder", 1.0, "scorer", 3.0, "image_encoder", 6.0));

        assertThat(shares.toString()).isEqualTo("image_encoder:6.0,scorer:3.0,text_encoder:1.0");
        assertThat(shares)
                .isEqualTo(CudaMemoryShares.of(6, 3, 1))
                .hasSameHashCodeAs(CudaMemoryShares.of(6, 3, 1));
    }

    @Test
    void badSharesAreRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> CudaMemoryShares.of(0.6, 0, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the CUDA memory share of scorer must be a positive finite number, found"
                                + " 0.0");
        assertThatThrownBy(() -> CudaMemoryShares.of(Double.NaN, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the CUDA memory share of image_encoder must be a positive finite number,"
                                + " found NaN");
        assertThatThrownBy(() -> CudaMemoryShares.of(1, 1, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text_encoder must be a positive finite number");
        assertThatThrownBy(() -> CudaMemoryShares.of(Map.of("image_encoder", 1.0, "scorer", 1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "CUDA memory shares must give one for each of the graphs [image_encoder,"
                                + " scorer, text_encoder], found none for text_encoder");
        assertThatThrownBy(
                        () ->
                                CudaMemoryShares.of(
                                        Map.of(
                                                "image_encoder", 1.0,
                                                "scorer", 1.0,
                                                "text_encoder", 1.0,
                                                "decoder", 1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "CUDA memory shares name the graphs [image_encoder, scorer, text_encoder],"
                                + " found an unknown one: 'decoder'");
    }
}
