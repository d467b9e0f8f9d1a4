package io.inctrlstream.job.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InferenceOperatorConfigTest {

    @Test
    void buildsWithTheGivenValuesAndSurvivesJavaSerialization() throws Exception {
        InferenceOperatorConfig config =
                InferenceOperatorConfig.builder()
                        .maxBatchSize(16)
                        .maxBatchWait(Duration.ofMillis(5))
                        .maxConcurrentBatches(2)
                        .capacity(64)
                        .timeout(Duration.ofSeconds(3))
                        .maxRetries(0)
                        .maxShotsPerLine(4)
                        .defaultThreshold(0.3)
                        .bankCacheBytes(0)
                        .build();

        assertThat(config.maxBatchSize()).isEqualTo(16);
        assertThat(config.maxBatchWait()).isEqualTo(Duration.ofMillis(5));
        assertThat(config.maxConcurrentBatches()).isEqualTo(2);
        assertThat(config.capacity()).isEqualTo(64);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.maxRetries()).isZero();
        assertThat(config.maxShotsPerLine()).isEqualTo(4);
        assertThat(config.defaultThreshold()).isEqualTo(0.3);
        assertThat(config.bankCacheBytes()).isZero();
        byte[] bytes = InstantiationUtil.serializeObject(config);
        InferenceOperatorConfig copy =
                InstantiationUtil.deserializeObject(bytes, getClass().getClassLoader());
        assertThat(copy).isEqualTo(config);
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                invalid(b -> b.maxBatchSize(0), "maxBatchSize must be at least 1, found 0"),
                invalid(
                        b -> b.maxConcurrentBatches(0),
                        "maxConcurrentBatches must be at least 1, found 0"),
                invalid(b -> b.capacity(-1), "capacity must be at least 1, found -1"),
                invalid(b -> b.maxRetries(-1), "maxRetries must be at least 0, found -1"),
                invalid(b -> b.maxShotsPerLine(0), "maxShotsPerLine must be at least 1, found 0"),
                invalid(b -> b.bankCacheBytes(-2), "bankCacheBytes must be at least 0, found -2"),
                invalid(
                        b -> b.maxBatchWait(Duration.ofMillis(-1)),
                        "maxBatchWait must not be negative, found PT-0.001S"),
                invalid(b -> b.timeout(Duration.ZERO), "timeout must be at least 1 ms, found PT0S"),
                invalid(
                        b -> b.defaultThreshold(1.5),
                        "defaultThreshold must be in [0, 1], found 1.5"),
                invalid(
                        b -> b.defaultThreshold(Double.NaN),
                        "defaultThreshold must be in [0, 1], found NaN"));
    }

    private static Arguments invalid(
            UnaryOperator<InferenceOperatorConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void buildRejectsInvalidSettings(
            UnaryOperator<InferenceOperatorConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(InferenceOperatorConfig.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
