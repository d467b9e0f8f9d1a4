package io.inctrlstream.launcher.internal.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakSettingsTest {
    @TempDir Path temp;

    private static SoakSettings.Builder valid() {
        return SoakSettings.builder().bundle(Path.of("bundle")).duration(Duration.ofMinutes(5));
    }

    @Test
    void defaults() {
        SoakSettings settings = valid().build();

        assertThat(settings.lines()).isEqualTo(4);
        assertThat(settings.shotsPerLine()).isEqualTo(4);
        assertThat(settings.fps()).isEqualTo(2.0);
        assertThat(settings.failEvery()).isNull();
        assertThat(settings.reportEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.drainTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> valid().lines(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--lines must be 1..1000, found 0");
        assertThatThrownBy(() -> valid().shotsPerLine(17).build())
                .hasMessage("--shots must be 1..16, found 17");
        assertThatThrownBy(() -> valid().fps(0).build())
                .hasMessage("--fps must be in (0, 1000], found 0.0");
        assertThatThrownBy(() -> valid().fps(Double.NaN).build())
                .hasMessage("--fps must be in (0, 1000], found NaN");
        assertThatThrownBy(() -> valid().duration(Duration.ZERO).build())
                .hasMessage("--duration must be positive, found PT0S");
        assertThatThrownBy(() -> valid().duration(null).build())
                .hasMessage("--duration is required (e.g. 5m)");
        assertThatThrownBy(() -> valid().reportEvery(Duration.ofSeconds(-1)).build())
                .hasMessage("--report-every must be positive, found PT-1S");
        assertThatThrownBy(() -> valid().parallelism(0).build())
                .hasMessage("--parallelism must be 1..64, found 0");
        assertThatThrownBy(() -> valid().dashboardPort(70_000).build())
                .hasMessage("--dashboard-port must be 0..65535, found 70000");
    }

    @Test
    void failuresMustComeWithinTheDuration() {
        assertThatThrownBy(() -> valid().failEvery(Duration.ofMinutes(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--fail-every must be shorter than --duration (PT5M), found PT5M: no"
                                + " failure would be injected");
        assertThat(valid().failEvery(Duration.ofMinutes(1)).build().failEvery())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theJsonReportMustBeAFile() {
        assertThatThrownBy(() -> valid().jsonFile(temp).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--json must name a file, found the folder " + temp);
    }
}
