package io.inctrlstream.launcher.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.launcher.CliRun;
import org.junit.jupiter.api.Test;

/** {@code inctrl soak}'s arguments: bad ones are usage errors (exit 2) before anything starts. */
class SoakCommandTest {
    @Test
    void theDurationIsRequired() {
        CliRun run = CliRun.of("soak", "--lines", "2");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.firstErrorLine())
                .isEqualTo("error: Missing required option: '--duration=DURATION'");
    }

    @Test
    void outOfRangeArgumentsAreUsageErrors() {
        CliRun lines = CliRun.of("soak", "--duration", "1m", "--lines", "0");
        CliRun failEvery = CliRun.of("soak", "--duration", "1m", "--fail-every", "2m");
        CliRun duration = CliRun.of("soak", "--duration", "soon");

        assertThat(lines.exitCode()).as(lines.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(lines.firstErrorLine()).isEqualTo("error: --lines must be 1..1000, found 0");
        assertThat(lines.err()).contains("Usage: inctrl soak");
        assertThat(failEvery.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(failEvery.firstErrorLine())
                .isEqualTo(
                        "error: --fail-every must be shorter than --duration (PT1M), found PT2M:"
                                + " no failure would be injected");
        assertThat(duration.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void theModelMustBeABundle() {
        CliRun run = CliRun.of("soak", "--duration", "1m", "--model", "/nonexistent");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.firstErrorLine())
                .isEqualTo(
                        "error: --model must be a model bundle folder with a manifest.json, found"
                                + " /nonexistent");
    }

    @Test
    void settingsComeFromTheArguments() {
        SoakCommand command = new SoakCommand();
        picocli.CommandLine line = new picocli.CommandLine(command);
        line.parseArgs(
                "--lines",
                "12",
                "--shots",
                "16",
                "--duration",
                "30m",
                "--fps",
                "0.5",
                "--fail-every",
                "5m",
                "--json",
                "soak.json",
                "-Dinctrl.inference.batch-size=8");

        var settings = command.settings();
        assertThat(settings.lines()).isEqualTo(12);
        assertThat(settings.shotsPerLine()).isEqualTo(16);
        assertThat(settings.duration()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(settings.fps()).isEqualTo(0.5);
        assertThat(settings.failEvery()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(settings.jsonFile()).isEqualTo(java.nio.file.Path.of("soak.json"));
        assertThat(settings.jobSettings()).containsEntry("inctrl.inference.batch-size", "8");
    }
}
