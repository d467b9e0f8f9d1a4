package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How to reach an existing Kafka cluster: servers and pass-through client properties. */
public final class KafkaOptions {
    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description =
                    "A Kafka client property, e.g. security.protocol=SASL_SSL; repeatable. Given to"
                            + " this tool's clients and to the job's consumers and producers.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description = "A Kafka client properties file (SASL, SSL, ...); --kafka-property wins.")
    Path configFile;

    /**
     * The settings, with the properties file read.
     *
     * @param command the command these options belong to, for its usage
     * @throws ParameterException (a usage error) if the file cannot be read or the servers are
     *     blank
     */
    public KafkaClientSettings settings(CommandSpec command) {
        Map<String, String> all = new LinkedHashMap<>();
        if (configFile != null) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(configFile)) {
                file.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(
                        command.commandLine(),
                        "cannot read the Kafka properties file "
                                + configFile
                                + ": "
                                + (e instanceof NoSuchFileException ? "no such file" : e),
                        e);
            }
            file.stringPropertyNames().forEach(key -> all.put(key, file.getProperty(key)));
        }
        all.putAll(properties);
        try {
            return new KafkaClientSettings(bootstrapServers, all);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }
}
