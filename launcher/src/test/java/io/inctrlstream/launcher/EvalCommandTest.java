package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval}, {@code dataset synth} and {@code threshold suggest} argument errors: one error line
 * naming what is wrong, the usage, exit code 2; none opens a model.
 */
class EvalCommandTest {
    @TempDir Path temp;

    @Test
    void aBadDatasetFolderIsOneErrorNamingWhatIsMissing() throws Exception {
        Files.createDirectories(temp.resolve("bottle/train/good"));
        Files.copy(
                EvalCommandTest.class.getResourceAsStream(
                        "/datasets/mvtec/bottle/train/good/000.png"),
                temp.resolve("bottle/train/good/000.png"));

        CliRun run = CliRun.of("eval", "--dataset", temp.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .isEqualTo(
                        "error: category bottle ("
                                + temp.resolve("bottle")
                                + ") has no test/ folder (expected test/good/ and"
                                + " test/<defect type>/)");
        assertThat(run.err()).contains("Usage: inctrl eval");
    }

    @Test
    void tooFewGoodImagesForKIsNamed() throws Exception {
        Path mvtec = Path.of(EvalCommandTest.class.getResource("/datasets/mvtec").toURI());
        CliRun run = CliRun.of("eval", "--dataset", mvtec.toString(), "--shots", "1,4");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .isEqualTo(
                        "error: category bottle has 3 good images to draw shots from, too few for"
                                + " K = 4");

        Path pair =
                Path.of(EvalCommandTest.class.getResource("/datasets/good-defect/widget").toURI());
        CliRun shared = CliRun.of("eval", "--dataset", pair.toString(), "--shots", "3");
        assertThat(shared.firstErrorLine())
                .isEqualTo(
                        "error: category widget has 3 good images to draw shots from, too few for"
                                + " K = 3 (its good images are also its good test images: at"
                                + " most K = 2)");
    }

    @Test
    void badSettingsAreUsageErrors() throws Exception {
        Path mvtec = Path.of(EvalCommandTest.class.getResource("/datasets/mvtec").toURI());
        assertThat(CliRun.of("eval", "--dataset", mvtec.toString(), "--runs", "0").firstErrorLine())
                .isEqualTo("error: runs must be in 1..1000, found 0");
        assertThat(
                        CliRun.of("eval", "--dataset", mvtec.toString(), "--baseline", "padim")
                                .firstErrorLine())
                .isEqualTo("error: --baseline must be patch-knn or none, found padim");
        assertThat(
                        CliRun.of("eval", "--dataset", mvtec.toString(), "--categories", "cable")
                                .firstErrorLine())
                .isEqualTo(
                        "error: dataset " + mvtec + " has no category cable; it has bottle, screw");
        CliRun missing = CliRun.of("eval");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.firstErrorLine())
                .isEqualTo("error: Missing required option: '--dataset=DIR'");
    }

    @Test
    void synthRefusesUnknownFamilies() {
        CliRun run =
                CliRun.of(
                        "dataset", "synth", "--out", temp.toString(), "--categories", "pcb,bottle");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .isEqualTo(
                        "error: unknown synthetic category 'bottle': expected a product family"
                                + " (metal_nut, label, pcb), optionally followed by -<variant"
                                + " number> (1..9999), e.g. pcb-2");
        assertThat(temp.resolve("pcb")).doesNotExist();
    }

    @Test
    void thresholdSuggestNeedsTwoShotsOrValidationImages() throws Exception {
        Path shot =
                Path.of(
                        EvalCommandTest.class
                                .getResource("/datasets/mvtec/bottle/train/good/000.png")
                                .toURI());
        CliRun one = CliRun.of("threshold", "suggest", "--shots", shot.toString());
        assertThat(one.exitCode()).isEqualTo(2);
        assertThat(one.firstErrorLine())
                .isEqualTo(
                        "error: suggesting from the shots alone needs at least 2 shots (each is"
                                + " scored against the others), found 1: give more shots or"
                                + " --good validation images");
        CliRun defectOnly =
                CliRun.of(
                        "threshold",
                        "suggest",
                        "--shots",
                        shot.toString(),
                        "--defect",
                        shot.toString());
        assertThat(defectOnly.firstErrorLine())
                .isEqualTo(
                        "error: --defect needs --good validation images too (or give neither, to"
                                + " suggest from the shots alone)");
    }
}
