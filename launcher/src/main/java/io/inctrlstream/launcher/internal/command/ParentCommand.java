package io.inctrlstream.launcher.internal.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: called alone, it is a usage error. */
public abstract class ParentCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing subcommand: expected one of "
                        + spec.subcommands().keySet().stream()
                                .filter(name -> !name.equals("help"))
                                .toList());
    }
}
