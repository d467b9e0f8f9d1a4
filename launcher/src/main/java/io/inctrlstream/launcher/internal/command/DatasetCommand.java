package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.dataset.SyntheticDatasetWriter;
import io.inctrlstream.launcher.eval.internal.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inctrl dataset synth}: a synthetic dataset in the MVTec AD layout. */
@Command(
        name = "dataset",
        description = "Datasets for evaluation: a synthetic one in the MVTec AD layout.",
        mixinStandardHelpOptions = true,
        subcommands = DatasetCommand.Synth.class)
public final class DatasetCommand extends ParentCommand {

    @Command(
            name = "synth",
            description = {
                "Writes the demo cameras' product images in the MVTec AD layout:"
                        + " <category>/train/good, <category>/test/good,"
                        + " <category>/test/<defect>, <category>/ground_truth/<defect>/*_mask.png"
                        + " (the pixels the defect changed). The same seed writes the same files.",
                "Categories are product families (metal_nut, label, pcb), optionally with a"
                        + " variant number (pcb-2: another design of the family), so that"
                        + " families can be held out."
            },
            mixinStandardHelpOptions = true)
    static final class Synth implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "DIR",
                description = "The dataset folder (created; its categories must not exist).")
        Path out;

        @Option(
                names = "--categories",
                split = ",",
                paramLabel = "NAME",
                description =
                        "Categories: families metal_nut, label, pcb, each optionally -<variant>"
                                + " (default: metal_nut,label,pcb).")
        List<String> categories = SyntheticDatasetWriter.DEFAULT_CATEGORIES;

        @Option(
                names = "--good",
                paramLabel = "N",
                defaultValue = "16",
                description = "Good training images per category (default: ${DEFAULT-VALUE}).")
        int good;

        @Option(
                names = "--test-good",
                paramLabel = "N",
                defaultValue = "8",
                description = "Good test images per category (default: ${DEFAULT-VALUE}).")
        int testGood;

        @Option(
                names = "--defects",
                paramLabel = "N",
                defaultValue = "4",
                description =
                        "Test images per category and defect type (scratch, spot, missing_part,"
                                + " shifted_part; default: ${DEFAULT-VALUE}).")
        int defects;

        @Option(
                names = "--size",
                paramLabel = "PIXELS",
                defaultValue = "256",
                description = "Width and height of the images (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(
                names = "--seed",
                paramLabel = "S",
                defaultValue = "1",
                description = "The seed everything follows from (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            SyntheticDatasetWriter writer;
            try {
                writer =
                        SyntheticDatasetWriter.builder()
                                .out(out)
                                .categories(categories)
                                .trainGood(good)
                                .testGood(testGood)
                                .defectsPerType(defects)
                                .size(size)
                                .seed(seed)
                                .build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            ProgressBar progress =
                    new ProgressBar(
                            spec.commandLine().getErr(),
                            "synth",
                            Terminal.isInteractive(),
                            System::nanoTime);
            progress.planned((long) writer.imagesPerCategory() * writer.categories().size());
            try {
                writer.write(() -> progress.advanced(1));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            } finally {
                progress.finish();
            }
            out.printf(
                    "wrote %d categor%s (%s), %d images each, to %s%n",
                    writer.categories().size(),
                    writer.categories().size() == 1 ? "y" : "ies",
                    String.join(", ", writer.categories()),
                    writer.imagesPerCategory(),
                    this.out.toAbsolutePath());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
