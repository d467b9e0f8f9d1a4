package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.schema.AddShots;
import io.inctrlstream.schema.ClearShots;
import io.inctrlstream.schema.SetShots;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inctrl shots set|add|clear}: a line's normal shots. */
@Command(
        name = "shots",
        description = "Set, add or clear a line's normal shots (control commands).",
        mixinStandardHelpOptions = true,
        subcommands = {ShotsCommand.Set.class, ShotsCommand.Add.class, ShotsCommand.Clear.class})
public final class ShotsCommand extends ParentCommand {

    @Command(
            name = "set",
            description = "Replace the line's shots with these images (and set its category).",
            mixinStandardHelpOptions = true)
    static final class Set implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ControlOptions control;

        @Option(
                names = "--category",
                paramLabel = "NAME",
                description = "Product category for the model's text prior, e.g. metal_nut.")
        String category;

        @Parameters(
                arity = "1..*",
                paramLabel = "FILE|FOLDER",
                description = "Normal shot images (.png, .jpg, .jpeg) or folders of them.")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            control.line();
            SetShots action =
                    SetShots.newBuilder()
                            .setImages(ImageArguments.images(spec, files))
                            .setCategory(category)
                            .build();
            return control.send(action);
        }
    }

    @Command(
            name = "add",
            description = "Add these images to the line's shots.",
            mixinStandardHelpOptions = true)
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ControlOptions control;

        @Parameters(
                arity = "1..*",
                paramLabel = "FILE|FOLDER",
                description = "Normal shot images (.png, .jpg, .jpeg) or folders of them.")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            control.line();
            return control.send(
                    AddShots.newBuilder().setImages(ImageArguments.images(spec, files)).build());
        }
    }

    @Command(
            name = "clear",
            description = "Remove the line's shots (its frames are not scored until new ones).",
            mixinStandardHelpOptions = true)
    static final class Clear implements Callable<Integer> {
        @Mixin ControlOptions control;

        @Override
        public Integer call() throws Exception {
            control.line();
            return control.send(ClearShots.newBuilder().build());
        }
    }
}
