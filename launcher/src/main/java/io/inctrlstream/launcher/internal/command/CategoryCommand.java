package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.schema.SetCategory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inctrl category set}: a line's product category. */
@Command(
        name = "category",
        description = "Set a line's product category (control command).",
        mixinStandardHelpOptions = true,
        subcommands = CategoryCommand.Set.class)
public final class CategoryCommand extends ParentCommand {

    @Command(
            name = "set",
            description =
                    "The category names the product in the model's text prior (e.g. metal_nut);"
                            + " the line's shot bank is rebuilt for it.",
            mixinStandardHelpOptions = true)
    static final class Set implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ControlOptions control;

        @Parameters(paramLabel = "NAME", description = "The category.")
        String name;

        @Override
        public Integer call() throws Exception {
            control.line();
            if (name.isBlank()) {
                throw new ParameterException(spec.commandLine(), "NAME must not be blank");
            }
            return control.send(SetCategory.newBuilder().setCategory(name).build());
        }
    }
}
