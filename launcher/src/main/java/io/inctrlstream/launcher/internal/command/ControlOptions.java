package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.Durations;
import io.inctrlstream.launcher.internal.kafka.ControlClient;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.LineIds;
import io.inctrlstream.schema.signing.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every control command shares: Kafka and topics, the line, who issues it and how long to wait
 * for the job's answer; and sending it and reporting the answer.
 */
public final class ControlOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Mixin TopicOptions topics;

    @Option(
            names = "--line",
            required = true,
            paramLabel = "LINE",
            description = "The production line the command is for.")
    String line;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "How long to wait for the job's control event (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--issued-by",
            paramLabel = "NAME",
            description = "Who issues the command, for the audit trail (default: user@host).")
    String issuedBy;

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description =
                    "A file holding the base64 HMAC-SHA256 secret (at least 32 bytes) that signs the"
                            + " command, for a job that checks signatures; with --signing-key-id.")
    Path signingKeyFile;

    @Option(
            names = "--signing-key-id",
            paramLabel = "ID",
            description = "The id of the --signing-key in the job's keys file.")
    String signingKeyId;

    /**
     * The signing key of --signing-key and --signing-key-id, or null when neither is given.
     *
     * @throws ParameterException (a usage error) if only one is given, or the file cannot be read
     *     or holds no valid secret (the message never shows the secret)
     */
    SigningKey signingKey() {
        if (signingKeyFile == null && signingKeyId == null) {
            return null;
        }
        if (signingKeyFile == null || signingKeyId == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--signing-key and --signing-key-id go together: give both or neither");
        }
        try {
            return SigningKey.readSecret(signingKeyId, signingKeyFile);
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "cannot read the --signing-key file "
                            + signingKeyFile
                            + ": "
                            + (e instanceof NoSuchFileException ? "no such file" : e));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--signing-key: " + e.getMessage());
        }
    }

    /** The line, checked to be a valid line id ({@link LineIds}). */
    String line() {
        LineIds.problem(line)
                .ifPresent(
                        problem -> {
                            throw new ParameterException(spec.commandLine(), "--line: " + problem);
                        });
        return line;
    }

    /**
     * Sends the action for the line, waits for its event and prints the outcome.
     *
     * @return {@link ExitCodes#OK} if applied, {@link ExitCodes#REJECTED} if rejected, {@link
     *     ExitCodes#TIMEOUT} without an answer
     */
    int send(Object action) throws InterruptedException, ExecutionException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SigningKey signing = signingKey();
        ControlCommand command = ControlClient.command(line(), action, issuer());
        try (ControlClient client =
                new ControlClient(kafka.settings(spec), topics.topics(), signing)) {
            ControlEvent event = client.execute(command, timeout);
            if (event.getOutcome() == ControlOutcome.APPLIED) {
                out.printf(
                        "%s: %s applied: shots version %d, %d shot%s (command %s)%n",
                        event.getLineId(),
                        event.getActionType(),
                        event.getShotsVersion(),
                        event.getShotCount(),
                        event.getShotCount() == 1 ? "" : "s",
                        event.getCommandId());
                out.flush();
                return ExitCodes.OK;
            }
            err.printf(
                    "%s: %s rejected: %s (command %s)%n",
                    event.getLineId(),
                    event.getActionType(),
                    event.getReason(),
                    event.getCommandId());
            err.flush();
            return ExitCodes.REJECTED;
        } catch (TimeoutException e) {
            err.println(
                    "error: "
                            + line
                            + ": command "
                            + command.getCommandId()
                            + " sent, but "
                            + e.getMessage()
                            + " (waited "
                            + Durations.format(timeout)
                            + "; --timeout to wait longer)");
            err.flush();
            return ExitCodes.TIMEOUT;
        }
    }

    private String issuer() {
        if (issuedBy != null) {
            return issuedBy;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return System.getProperty("user.name", "inctrl") + "@" + host;
    }
}
