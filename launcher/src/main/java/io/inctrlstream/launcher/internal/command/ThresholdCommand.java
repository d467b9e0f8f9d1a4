package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.schema.SetThreshold;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inctrl threshold set}: a line's anomaly threshold. */
@Command(
        name = "threshold",
        description = "Set a line's anomaly threshold (control command).",
        mixinStandardHelpOptions = true,
        subcommands = ThresholdCommand.Set.class)
public final class ThresholdCommand extends ParentCommand {

    @Command(
            name = "set",
            description = "A frame is anomalous when its final score is at least VALUE.",
            mixinStandardHelpOptions = true)
    static final class Set implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ControlOptions control;

        @Parameters(paramLabel = "VALUE", description = "The threshold, in [0, 1].")
        double value;

        @Override
        public Integer call() throws Exception {
            control.line();
            if (!(value >= 0 && value <= 1)) {
                throw new ParameterException(
                        spec.commandLine(), "VALUE must be in [0, 1], found " + value);
            }
            return control.send(SetThreshold.newBuilder().setThreshold(value).build());
        }
    }
}
