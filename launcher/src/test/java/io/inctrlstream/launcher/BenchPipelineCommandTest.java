package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inctrl bench pipeline}'s argument errors: one line, the usage, exit 2, nothing run. */
class BenchPipelineCommandTest {
    @TempDir Path folder;

    @Test
    void benchAloneAsksForItsSubcommand() {
        CliRun run = CliRun.of("bench");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .isEqualTo("error: missing subcommand: expected one of [pipeline]");
    }

    @Test
    void outOfRangeCountsAreUsageErrorsNamingTheValue() {
        CliRun lines = CliRun.of("bench", "pipeline", "--lines", "0");
        assertThat(lines.exitCode()).as(lines.toString()).isEqualTo(2);
        assertThat(lines.firstErrorLine()).isEqualTo("error: lines must be >= 1, found 0");
        assertThat(lines.err()).contains("Usage: inctrl bench pipeline");

        CliRun threads = CliRun.of("bench", "pipeline", "--threads", "0");
        assertThat(threads.exitCode()).isEqualTo(2);
        assertThat(threads.firstErrorLine()).isEqualTo("error: threads must be >= 1, found 0");

        CliRun frames = CliRun.of("bench", "pipeline", "--frames-per-line", "-3");
        assertThat(frames.exitCode()).isEqualTo(2);
        assertThat(frames.firstErrorLine())
                .isEqualTo("error: saturation frames per line must be >= 1, found -3");
    }

    @Test
    void aBadDurationModelOrJsonTargetIsAUsageError() {
        CliRun duration = CliRun.of("bench", "pipeline", "--latency-duration", "soon");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.firstErrorLine()).startsWith("error: Invalid value for option");

        CliRun model = CliRun.of("bench", "pipeline", "--model", folder.toString());
        assertThat(model.exitCode()).isEqualTo(2);
        assertThat(model.firstErrorLine())
                .isEqualTo(
                        "error: --model must be a model bundle folder with a manifest.json, found "
                                + folder);

        CliRun json = CliRun.of("bench", "pipeline", "--json", folder.toString());
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.firstErrorLine())
                .isEqualTo("error: --json must name a file, found the folder " + folder);
        assertThat(json.out()).doesNotContain("bench pipeline:");
    }
}
