package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.schema.AlertPolicy;
import io.inctrlstream.schema.SetAlertPolicy;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inctrl alert-policy set}: when a line raises alerts. */
@Command(
        name = "alert-policy",
        description = "Set when a line raises alerts (control command).",
        mixinStandardHelpOptions = true,
        subcommands = AlertPolicyCommand.Set.class)
public final class AlertPolicyCommand extends ParentCommand {

    @Command(
            name = "set",
            description =
                    "Alert when K of the line's last N scored frames are anomalous, at most once"
                            + " per cooldown.",
            mixinStandardHelpOptions = true)
    static final class Set implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ControlOptions control;

        @Option(names = "--k", required = true, paramLabel = "K", description = "Anomalous frames.")
        int k;

        @Option(
                names = "--n",
                required = true,
                paramLabel = "N",
                description = "Window of scored frames, K <= N <= 1000.")
        int n;

        @Option(
                names = "--cooldown",
                required = true,
                paramLabel = "MS",
                converter = MillisConverter.class,
                description = "Least time between two alerts: milliseconds, or e.g. 10s.")
        Duration cooldown;

        @Override
        public Integer call() throws Exception {
            control.line();
            if (k < 1 || n < k || n > 1000) {
                throw new ParameterException(
                        spec.commandLine(),
                        "expected 1 <= K <= N <= 1000, found K=" + k + ", N=" + n);
            }
            if (cooldown.isNegative()) {
                throw new ParameterException(
                        spec.commandLine(), "--cooldown must be >= 0, found " + cooldown);
            }
            AlertPolicy policy =
                    AlertPolicy.newBuilder()
                            .setMinAnomalous(k)
                            .setWindow(n)
                            .setCooldownMillis(cooldown.toMillis())
                            .build();
            return control.send(SetAlertPolicy.newBuilder().setPolicy(policy).build());
        }
    }
}
