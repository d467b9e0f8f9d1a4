package io.inctrlstream.launcher.internal.command;

import picocli.CommandLine.Command;

/** {@code inctrl bench}: measurements of the engine and the job on this machine. */
@Command(
        name = "bench",
        description = "Measurements on this machine (BENCHMARKS.md).",
        mixinStandardHelpOptions = true,
        subcommands = {BenchPipelineCommand.class})
public final class BenchCommand extends ParentCommand {}
