package io.inctrlstream.launcher;

import io.inctrlstream.job.kafka.KafkaNotReadyException;
import io.inctrlstream.launcher.internal.command.AlertPolicyCommand;
import io.inctrlstream.launcher.internal.command.BenchCommand;
import io.inctrlstream.launcher.internal.command.CategoryCommand;
import io.inctrlstream.launcher.internal.command.DatasetCommand;
import io.inctrlstream.launcher.internal.command.DemoCommand;
import io.inctrlstream.launcher.internal.command.EvalCommand;
import io.inctrlstream.launcher.internal.command.ExitCodes;
import io.inctrlstream.launcher.internal.command.FramesCommand;
import io.inctrlstream.launcher.internal.command.ParentCommand;
import io.inctrlstream.launcher.internal.command.RunCommand;
import io.inctrlstream.launcher.internal.command.ScoreCommand;
import io.inctrlstream.launcher.internal.command.ShotsCommand;
import io.inctrlstream.launcher.internal.command.SoakCommand;
import io.inctrlstream.launcher.internal.command.StatusCommand;
import io.inctrlstream.launcher.internal.command.StopCommand;
import io.inctrlstream.launcher.internal.command.TailCommand;
import io.inctrlstream.launcher.internal.command.ThresholdCommand;
import io.inctrlstream.launcher.internal.command.TopicsCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code inctrl} command line (bin/inctrl): the demo, the job on a Kafka cluster, control
 * commands, frames, tails of the outputs, offline scoring and benchmarks. Bad arguments get a
 * one-line error and the usage (exit code 2); failures a one-line error (exit code 1), never a
 * stack trace.
 */
@Command(
        name = "inctrl",
        description = "InCTRL-Stream: streaming visual inspection with the InCTRL model.",
        mixinStandardHelpOptions = true,
        versionProvider = InctrlCli.Version.class,
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            TopicsCommand.class,
            StatusCommand.class,
            StopCommand.class,
            ShotsCommand.class,
            ThresholdCommand.class,
            CategoryCommand.class,
            AlertPolicyCommand.class,
            FramesCommand.class,
            TailCommand.class,
            ScoreCommand.class,
            BenchCommand.class,
            SoakCommand.class,
            EvalCommand.class,
            DatasetCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failed (the message says why)",
            "2:bad arguments",
            "3:the job rejected the command",
            "4:no answer from the job in time",
            "5:the run is incomplete (job failed or lost its state, frames not scored)",
            "6:Kafka not ready (unreachable, credentials refused, topics missing)"
        })
public final class InctrlCli extends ParentCommand {

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        int code = execute(args, System.out, System.err);
        System.exit(code);
    }

    /** Runs the command line with the given output streams; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine commandLine = commandLine();
        commandLine.setOut(outWriter);
        commandLine.setErr(errWriter);
        try {
            return commandLine.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The configured command line. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new InctrlCli());
        commandLine.setParameterExceptionHandler(new UsageErrors());
        commandLine.setExecutionExceptionHandler(new Failures());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    /** A one-line error, suggestions for typos, and the usage of the command at fault. */
    static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println("error: " + oneLine(e.getMessage()));
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println();
            command.usage(err);
            err.flush();
            return ExitCodes.USAGE;
        }
    }

    /** A one-line error for a failure in a command (the log has the details). */
    static final class Failures implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(
                Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
            Throwable shown = e;
            while ((shown instanceof ExecutionException
                            || shown.getClass() == RuntimeException.class)
                    && shown.getCause() != null) {
                shown = shown.getCause();
            }
            String message = shown.getMessage();
            if (message == null || message.isBlank()) {
                message = shown.getClass().getSimpleName();
            } else if (!(shown instanceof IllegalArgumentException
                    || shown instanceof IllegalStateException
                    || shown instanceof java.io.UncheckedIOException)) {
                message = shown.getClass().getSimpleName() + ": " + message;
            }
            String name = command.getCommandSpec().qualifiedName(" ").replaceFirst("^inctrl ", "");
            org.slf4j.LoggerFactory.getLogger(InctrlCli.class).error("{} failed", name, e);
            PrintWriter err = command.getErr();
            err.println("error: " + name + ": " + oneLine(message));
            err.flush();
            return shown instanceof KafkaNotReadyException
                    ? ExitCodes.KAFKA_NOT_READY
                    : ExitCodes.FAILED;
        }
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** The launcher's version, from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = InctrlCli.class.getPackage().getImplementationVersion();
            return new String[] {"inctrl " + (version == null ? "(development build)" : version)};
        }
    }
}
