package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Argument handling of every command: help, and bad arguments answered with one error line, the
 * usage and exit code 2, never a stack trace. None of these reach Kafka, Flink or a model.
 */
class InctrlCliTest {

    @TempDir static Path files;

    static Stream<Arguments> usageErrors() throws IOException {
        Path png = Files.write(files.resolve("notes.txt"), new byte[] {1, 2, 3});
        Path bogusPng = Files.write(files.resolve("bogus.png"), new byte[] {1, 2, 3});
        String missing = files.resolve("missing.png").toString();
        Path notBase64 = Files.writeString(files.resolve("not-base64.key"), "not base64!\n");
        Path shortKey =
                Files.writeString(
                        files.resolve("short.key"),
                        java.util.Base64.getEncoder().encodeToString(new byte[16]));
        return Stream.of(
                Arguments.of(new String[] {}, "inctrl", "missing subcommand: expected one of"),
                Arguments.of(
                        new String[] {"demoo"}, "inctrl", "Unmatched argument at index 0: 'demoo'"),
                Arguments.of(
                        new String[] {"demo", "--lines", "0"},
                        "inctrl demo",
                        "--lines must be in 1..12, found 0"),
                Arguments.of(
                        new String[] {"demo", "--lines", "13"},
                        "inctrl demo",
                        "--lines must be in 1..12, found 13"),
                Arguments.of(
                        new String[] {"demo", "--fps", "fast"},
                        "inctrl demo",
                        "Invalid value for option '--fps': 'fast' is not a double"),
                Arguments.of(
                        new String[] {"demo", "--fps", "0"},
                        "inctrl demo",
                        "--fps must be in (0, 30], found 0.0"),
                Arguments.of(
                        new String[] {"demo", "--duration", "forever"},
                        "inctrl demo",
                        "expected a duration such as 500ms, 40s, 2m or PT40S, found \"forever\""),
                Arguments.of(
                        new String[] {"demo", "--duration", "0s"},
                        "inctrl demo",
                        "--duration must be positive, found PT0S"),
                Arguments.of(
                        new String[] {"demo", "--defect-rate", "1.5"},
                        "inctrl demo",
                        "--defect-rate must be in [0, 1], found 1.5"),
                Arguments.of(
                        new String[] {"demo", "--dashboard-port", "70000"},
                        "inctrl demo",
                        "--dashboard-port must be in 0..65535, found 70000"),
                Arguments.of(
                        new String[] {"demo", "--cpu", "--gpu"},
                        "inctrl demo",
                        "--cpu and --gpu exclude each other: give one"),
                Arguments.of(
                        new String[] {"demo", "--model", files.toString()},
                        "inctrl demo",
                        "--model must be a model bundle folder with a manifest.json, found "
                                + files),
                Arguments.of(
                        new String[] {"demo", "--shots", "17"},
                        "inctrl demo",
                        "--shots must be in 1..16, found 17"),
                Arguments.of(
                        new String[] {"demo", "--bogus"},
                        "inctrl demo",
                        "Unknown option: '--bogus'"),
                Arguments.of(
                        new String[] {"run", "--parallelism", "0"},
                        "inctrl run",
                        "--parallelism must be >= 1, found 0"),
                Arguments.of(
                        new String[] {"run", "--delivery-guarantee", "maybe"},
                        "inctrl run",
                        "Invalid value for option '--delivery-guarantee'"),
                Arguments.of(
                        new String[] {"run", "--kafka-property", "novalue"},
                        "inctrl run",
                        "should be in KEY=VALUE format but was novalue"),
                Arguments.of(
                        new String[] {"shots"},
                        "inctrl shots",
                        "missing subcommand: expected one of [set, add, clear]"),
                Arguments.of(
                        new String[] {"shots", "set", png.toString()},
                        "inctrl shots set",
                        "Missing required option: '--line=LINE'"),
                Arguments.of(
                        new String[] {"shots", "set", "--line", "l1"},
                        "inctrl shots set",
                        "Missing required parameter: 'FILE|FOLDER'"),
                Arguments.of(
                        new String[] {"shots", "set", "--line", "l1", missing},
                        "inctrl shots set",
                        "no such file or folder: " + missing),
                Arguments.of(
                        new String[] {"shots", "add", "--line", "l1", png.toString()},
                        "inctrl shots add",
                        "expected a .png, .jpg or .jpeg file or a folder, found " + png),
                Arguments.of(
                        new String[] {"shots", "add", "--line", "l1", bogusPng.toString()},
                        "inctrl shots add",
                        "expected a PNG image in " + bogusPng + ", found other data"),
                Arguments.of(
                        new String[] {"shots", "clear"},
                        "inctrl shots clear",
                        "Missing required option: '--line=LINE'"),
                Arguments.of(
                        new String[] {"shots", "clear", "--line", " "},
                        "inctrl shots clear",
                        "--line: expected 1 to 64 letters, digits, '.', '_' or '-', starting with"
                                + " a letter or digit ([A-Za-z0-9][A-Za-z0-9._-]{0,63}), found"
                                + " \" \""),
                Arguments.of(
                        new String[] {"shots", "set", "--line", "bad id", png.toString()},
                        "inctrl shots set",
                        "--line: expected 1 to 64 letters, digits, '.', '_' or '-', starting with"
                                + " a letter or digit ([A-Za-z0-9][A-Za-z0-9._-]{0,63}), found"
                                + " \"bad id\""),
                Arguments.of(
                        new String[] {"threshold", "set", "--line", "line/1", "0.5"},
                        "inctrl threshold set",
                        "--line: expected 1 to 64 letters"),
                Arguments.of(
                        new String[] {"category", "set", "--line", "x".repeat(65), "pcb"},
                        "inctrl category set",
                        "--line: expected 1 to 64 letters"),
                Arguments.of(
                        new String[] {
                            "alert-policy",
                            "set",
                            "--line",
                            "_x",
                            "--k",
                            "1",
                            "--n",
                            "1",
                            "--cooldown",
                            "0"
                        },
                        "inctrl alert-policy set",
                        "--line: expected 1 to 64 letters"),
                Arguments.of(
                        new String[] {"frames", "send", "--line", "line\t1", png.toString()},
                        "inctrl frames send",
                        "--line: expected 1 to 64 letters, digits, '.', '_' or '-', starting with"
                                + " a letter or digit ([A-Za-z0-9][A-Za-z0-9._-]{0,63}), found"
                                + " \"line\\t1\""),
                Arguments.of(
                        new String[] {
                            "shots", "set", "--line", "l1", "--timeout", "soon", png.toString()
                        },
                        "inctrl shots set",
                        "expected a duration"),
                Arguments.of(
                        new String[] {"shots", "clear", "--line", "l1", "--signing-key", missing},
                        "inctrl shots clear",
                        "--signing-key and --signing-key-id go together: give both or neither"),
                Arguments.of(
                        new String[] {"shots", "clear", "--line", "l1", "--signing-key-id", "k1"},
                        "inctrl shots clear",
                        "--signing-key and --signing-key-id go together: give both or neither"),
                Arguments.of(
                        new String[] {
                            "threshold",
                            "set",
                            "--line",
                            "l1",
                            "--signing-key",
                            missing,
                            "--signing-key-id",
                            "k1",
                            "0.5"
                        },
                        "inctrl threshold set",
                        "cannot read the --signing-key file " + missing + ": no such file"),
                Arguments.of(
                        new String[] {
                            "shots",
                            "clear",
                            "--line",
                            "l1",
                            "--signing-key",
                            notBase64.toString(),
                            "--signing-key-id",
                            "k1"
                        },
                        "inctrl shots clear",
                        "--signing-key: " + notBase64 + ": the secret of key \"k1\" is not base64"),
                Arguments.of(
                        new String[] {
                            "category",
                            "set",
                            "--line",
                            "l1",
                            "--signing-key",
                            shortKey.toString(),
                            "--signing-key-id",
                            "k1",
                            "pcb"
                        },
                        "inctrl category set",
                        "--signing-key: "
                                + shortKey
                                + ": the secret of key \"k1\" is 16 bytes, expected at least 32"),
                Arguments.of(
                        new String[] {
                            "shots",
                            "clear",
                            "--line",
                            "l1",
                            "--signing-key",
                            shortKey.toString(),
                            "--signing-key-id",
                            "k 1"
                        },
                        "inctrl shots clear",
                        "--signing-key: "
                                + shortKey
                                + ": expected a key id of 1 to 64 letters, digits, '.', '_' or"
                                + " '-', found \"k 1\""),
                Arguments.of(
                        new String[] {"threshold"},
                        "inctrl threshold",
                        "missing subcommand: expected one of [set, suggest]"),
                Arguments.of(
                        new String[] {"threshold", "set", "--line", "l1", "1.5"},
                        "inctrl threshold set",
                        "VALUE must be in [0, 1], found 1.5"),
                Arguments.of(
                        new String[] {"threshold", "set", "--line", "l1", "high"},
                        "inctrl threshold set",
                        "Invalid value for positional parameter at index 0 (VALUE): 'high' is not a double"),
                Arguments.of(
                        new String[] {"threshold", "set", "0.5"},
                        "inctrl threshold set",
                        "Missing required option: '--line=LINE'"),
                Arguments.of(
                        new String[] {
                            "frames", "send", "--line", "l1", "--camera", "c".repeat(225), "x.png"
                        },
                        "inctrl frames send",
                        "--camera must be at most 224 characters (a frame id is it and"
                                + " \"-<millis>-<n>\", at most 256), found 225"),
                Arguments.of(
                        new String[] {"category", "set", "--line", "l1", " "},
                        "inctrl category set",
                        "NAME must not be blank"),
                Arguments.of(
                        new String[] {"category", "set", "--line", "l1"},
                        "inctrl category set",
                        "Missing required parameter: 'NAME'"),
                Arguments.of(
                        new String[] {
                            "alert-policy",
                            "set",
                            "--line",
                            "l1",
                            "--k",
                            "3",
                            "--n",
                            "2",
                            "--cooldown",
                            "100"
                        },
                        "inctrl alert-policy set",
                        "expected 1 <= K <= N <= 1000, found K=3, N=2"),
                Arguments.of(
                        new String[] {
                            "alert-policy",
                            "set",
                            "--line",
                            "l1",
                            "--k",
                            "1",
                            "--n",
                            "2",
                            "--cooldown",
                            "later"
                        },
                        "inctrl alert-policy set",
                        "expected a duration"),
                Arguments.of(
                        new String[] {
                            "alert-policy", "set", "--line", "l1", "--k", "1", "--n", "2"
                        },
                        "inctrl alert-policy set",
                        "Missing required option: '--cooldown=MS'"),
                Arguments.of(
                        new String[] {"frames"},
                        "inctrl frames",
                        "missing subcommand: expected one of [send]"),
                Arguments.of(
                        new String[] {"frames", "send", "--line", "l1"},
                        "inctrl frames send",
                        "Missing required parameter: 'FILE|FOLDER'"),
                Arguments.of(
                        new String[] {
                            "frames", "send", "--line", "l1", files.resolve("empty").toString()
                        },
                        "inctrl frames send",
                        "no such file or folder"),
                Arguments.of(
                        new String[] {"tail"}, "inctrl tail", "Missing required parameter: 'WHAT'"),
                Arguments.of(
                        new String[] {"tail", "everything"},
                        "inctrl tail",
                        "WHAT must be scores, alerts, events or dead-letters, found \"everything\""),
                Arguments.of(
                        new String[] {"tail", "scores", "--max", "0"},
                        "inctrl tail",
                        "--max must be >= 1, found 0"),
                Arguments.of(
                        new String[] {"score", "--shots", png.toString()},
                        "inctrl score",
                        "images to score are required when --shots is given"),
                Arguments.of(
                        new String[] {"score", "image.png"},
                        "inctrl score",
                        "--shots is required when images are given"),
                Arguments.of(
                        new String[] {"score", "--shots", missing, "x.png"},
                        "inctrl score",
                        "no such file or folder: " + missing));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void badArgumentsGiveOneErrorLineTheUsageAndExitCode2(
            String[] args, String command, String message) {
        CliRun run = CliRun.of(args);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.firstErrorLine()).as(run.toString()).startsWith("error: ").contains(message);
        assertThat(run.err()).as(run.toString()).contains("Usage: " + command + " ");
        assertNoStackTrace(run);
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "demo",
                "run",
                "shots",
                "shots set",
                "shots add",
                "shots clear",
                "threshold set",
                "category set",
                "alert-policy set",
                "frames send",
                "tail",
                "score",
                "eval",
                "dataset synth",
                "threshold suggest"
            })
    void everyCommandHasHelp(String command) {
        String[] words = command.split(" ");
        String[] args = new String[words.length + 1];
        System.arraycopy(words, 0, args, 0, words.length);
        args[words.length] = "--help";

        CliRun run = CliRun.of(args);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: inctrl " + command + " ");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsEveryCommandAndTheExitCodes() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("demo ", "run ", "shots ", "threshold ", "category ", "alert-policy ")
                .contains("frames ", "tail ", "score ", "Exit codes:", "3   the job rejected")
                .contains("eval ", "dataset ");
    }

    @Test
    void helpCommandShowsACommandsUsage() {
        CliRun run = CliRun.of("help", "tail");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: inctrl tail ");
    }

    @Test
    void versionIsPrinted() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("inctrl ");
    }

    @Test
    void aFailureIsOneErrorLineWithExitCode1() throws IOException {
        Path corrupt = Files.write(files.resolve("corrupt.png"), pngHeaderOnly());

        CliRun run = CliRun.of("score", "--shots", corrupt.toString(), corrupt.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.firstErrorLine()).startsWith("error: score: " + corrupt + ": ");
        assertNoStackTrace(run);
    }

    /** A PNG signature and IHDR of a 4x4 image, and no image data. */
    private static byte[] pngHeaderOnly() {
        return new byte[] {
            (byte) 0x89,
            'P',
            'N',
            'G',
            '\r',
            '\n',
            0x1A,
            '\n',
            0,
            0,
            0,
            13,
            'I',
            'H',
            'D',
            'R',
            0,
            0,
            0,
            4,
            0,
            0,
            0,
            4,
            8,
            2,
            0,
            0,
            0,
            0x26,
            (byte) 0x93,
            0x09,
            0x29
        };
    }

    private static void assertNoStackTrace(CliRun run) {
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(run.out()).doesNotContain("\tat ");
    }
}
