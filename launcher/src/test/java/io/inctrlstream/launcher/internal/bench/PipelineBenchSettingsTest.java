package io.inctrlstream.launcher.internal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineBenchSettingsTest {
    private static final Path BUNDLE = Path.of("bundle");

    @Test
    void quickShortensThePhasesAndKeepsTheRest() {
        PipelineBenchSettings full = PipelineBenchSettings.builder(BUNDLE).build();
        PipelineBenchSettings quick = PipelineBenchSettings.builder(BUNDLE).quick().build();
        assertThat(full.saturationFramesPerLine()).isEqualTo(320);
        assertThat(full.latencyDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(quick.saturationFramesPerLine()).isEqualTo(240);
        assertThat(quick.engineDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(quick.latencyDuration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(full.pipelineWarmup()).isEqualTo(Duration.ofSeconds(300));
        assertThat(quick.pipelineWarmup()).isEqualTo(Duration.ofSeconds(180));
        assertThat(quick.inProcessBroker()).isEqualTo(full.inProcessBroker()).isFalse();
        assertThat(quick.lines()).isEqualTo(full.lines()).isEqualTo(4);
        assertThat(quick.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void givenValuesWinOverQuickAndJobSettingsAreKept() {
        PipelineBenchSettings settings =
                PipelineBenchSettings.builder(BUNDLE)
                        .quick()
                        .lines(8)
                        .threads(1)
                        .saturationFramesPerLine(16)
                        .checkpointInterval(Duration.ZERO)
                        .inProcessBroker(true)
                        .jobSetting("execution.buffer-timeout", "5 ms")
                        .build();
        assertThat(settings.lines()).isEqualTo(8);
        assertThat(settings.threads()).isEqualTo(1);
        assertThat(settings.inProcessBroker()).isTrue();
        assertThat(settings.saturationFramesPerLine()).isEqualTo(16);
        assertThat(settings.checkpointInterval()).isZero();
        assertThat(settings.jobSettings()).containsEntry("execution.buffer-timeout", "5 ms");
    }

    @Test
    void eachOutOfRangeValueIsNamedWithWhatWasFound() {
        assertThatThrownBy(() -> PipelineBenchSettings.builder(BUNDLE).lines(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lines must be >= 1, found 0");
        assertThatThrownBy(() -> PipelineBenchSettings.builder(BUNDLE).threads(-2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be >= 1, found -2");
        assertThatThrownBy(() -> PipelineBenchSettings.builder(BUNDLE).parallelism(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism must be >= 1, found 0");
        assertThatThrownBy(
                        () ->
                                PipelineBenchSettings.builder(BUNDLE)
                                        .saturationFramesPerLine(0)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("saturation frames per line must be >= 1, found 0");
        assertThatThrownBy(
                        () ->
                                PipelineBenchSettings.builder(BUNDLE)
                                        .engineDuration(Duration.ZERO)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("engine duration must be positive, found PT0S");
        assertThatThrownBy(
                        () ->
                                PipelineBenchSettings.builder(BUNDLE)
                                        .latencyDuration(Duration.ofSeconds(-1))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency duration must be positive, found PT-1S");
        assertThatThrownBy(
                        () ->
                                PipelineBenchSettings.builder(BUNDLE)
                                        .pipelineWarmup(Duration.ofSeconds(-2))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pipeline warm-up must be >= 0, found PT-2S");
        assertThatThrownBy(
                        () ->
                                PipelineBenchSettings.builder(BUNDLE)
                                        .checkpointInterval(Duration.ofMillis(-1))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "checkpoint interval must be >= 0 (0: no checkpoints), found PT-0.001S");
    }
}
