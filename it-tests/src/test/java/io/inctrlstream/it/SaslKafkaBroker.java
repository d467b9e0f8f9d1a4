package io.inctrlstream.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) as its own process, from
 * Kafka's server classes on Maven Central, with SASL/SCRAM-SHA-512 on its client listener and
 * Kafka's authorizer denying what no ACL allows. Its one super user, {@code admin}, is created when
 * the storage is formatted; its credentials are in {@link #adminConfig()}, a client properties file
 * as Kafka's tools take it. The controller listener is plaintext on loopback. Also makes the {@code
 * kafka-*.sh} commands of a Kafka distribution ({@link #toolsBin()}): each runs the tool's class
 * from this classpath. Killed on close.
 */
final class SaslKafkaBroker implements AutoCloseable {
    static final String MECHANISM = "SCRAM-SHA-512";
    private static final String ADMIN = "admin";

    /** A Kafka distribution's tool scripts and the classes they run. */
    private static final Map<String, String> TOOLS =
            Map.of(
                    "kafka-topics.sh", "org.apache.kafka.tools.TopicCommand",
                    "kafka-acls.sh", "org.apache.kafka.tools.AclCommand",
                    "kafka-configs.sh", "kafka.admin.ConfigCommand");

    /** Quick start-up for short-lived tool JVMs. */
    private static final List<String> TOOL_JVM =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

    private final Path directory;
    private final int port;
    private final Process process;

    private SaslKafkaBroker(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /** Formats a log directory in {@code directory}, starts the broker and waits for it. */
    static SaslKafkaBroker start(Path directory) throws Exception {
        Files.createDirectories(directory);
        int port = freePort();
        int controllerPort = freePort();
        String adminPassword = Uuid.randomUuid().toString();
        String adminJaas = jaas(ADMIN, adminPassword);
        Path config = directory.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=CLIENTS://127.0.0.1:"
                                + port
                                + ",CONTROLLER://127.0.0.1:"
                                + controllerPort,
                        "advertised.listeners=CLIENTS://127.0.0.1:" + port,
                        "listener.security.protocol.map=CLIENTS:SASL_PLAINTEXT,"
                                + "CONTROLLER:PLAINTEXT",
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=CLIENTS",
                        "sasl.enabled.mechanisms=" + MECHANISM,
                        "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                        "listener.name.clients.scram-sha-512.sasl.jaas.config=" + adminJaas,
                        "authorizer.class.name="
                                + "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        // admin; ANONYMOUS is the broker's own connection to its controller
                        // over the plaintext loopback controller listener.
                        "super.users=User:" + ADMIN + ";User:ANONYMOUS",
                        "allow.everyone.if.no.acl.found=false",
                        "log.dirs=" + directory.resolve("logs"),
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=2",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=2",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        ""));
        Path adminConfig = directory.resolve("admin.properties");
        Files.writeString(adminConfig, clientConfig(adminJaas));
        Path log4j = directory.resolve("log4j2.properties");
        Files.writeString(
                log4j,
                String.join(
                        "\n",
                        "rootLogger.level = WARN",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = " + directory.resolve("kafka.log"),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c - %m%n",
                        ""));
        Path argfile = directory.resolve("classpath.args");
        Files.writeString(argfile, "-cp " + classpath() + "\n");
        writeTools(directory.resolve("bin"), argfile, log4j);

        // The admin's SCRAM credentials go into the metadata when the storage is formatted.
        List<String> format = java(argfile, log4j, List.of("-Xmx256m"));
        format.addAll(
                List.of(
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        config.toString(),
                        "--add-scram",
                        MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"));
        Process formatting =
                new ProcessBuilder(format)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("format.out").toFile())
                        .start();
        if (!formatting.waitFor(120, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
            formatting.destroyForcibly();
            throw new IllegalStateException(
                    "formatting the broker's storage failed: "
                            + Files.readString(directory.resolve("format.out")));
        }
        List<String> server = java(argfile, log4j, List.of("-Xmx512m"));
        server.addAll(List.of("kafka.Kafka", config.toString()));
        Process process =
                new ProcessBuilder(server)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("kafka.out").toFile())
                        .start();
        SaslKafkaBroker broker = new SaslKafkaBroker(directory, port, process);
        try {
            broker.awaitReady();
            return broker;
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The admin client's properties file (Kafka's tools: {@code --command-config}). */
    Path adminConfig() {
        return directory.resolve("admin.properties");
    }

    /** A folder with kafka-topics.sh, kafka-acls.sh and kafka-configs.sh. */
    Path toolsBin() {
        return directory.resolve("bin");
    }

    /** Kafka's JAAS line for a SCRAM user. */
    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }

    private static String clientConfig(String jaas) {
        return String.join(
                "\n",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=" + MECHANISM,
                "sasl.jaas.config=" + jaas,
                "");
    }

    private void awaitReady() throws Exception {
        Properties admin = new Properties();
        try (var in = Files.newInputStream(adminConfig())) {
            admin.load(in);
        }
        admin.put("bootstrap.servers", bootstrapServers());
        admin.put("request.timeout.ms", "5000");
        admin.put("default.api.timeout.ms", "5000");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        Exception last = null;
        try (Admin client = Admin.create(admin)) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the Kafka broker ended (exit "
                                    + process.exitValue()
                                    + "): "
                                    + Files.readString(directory.resolve("kafka.out")));
                }
                try {
                    client.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    last = e;
                }
                TimeUnit.MILLISECONDS.sleep(200); // polling interval of a bounded wait
            }
        }
        throw new IllegalStateException(
                "the Kafka broker did not answer within 120 s; see " + directory, last);
    }

    private static void writeTools(Path bin, Path argfile, Path log4j) throws IOException {
        Files.createDirectories(bin);
        for (Map.Entry<String, String> tool : TOOLS.entrySet()) {
            Path script = bin.resolve(tool.getKey());
            List<String> command = java(argfile, log4j, TOOL_JVM);
            command.add(tool.getValue());
            Files.writeString(
                    script,
                    "#!/bin/sh\nexec "
                            + command.stream()
                                    .map(word -> "'" + word + "'")
                                    .collect(Collectors.joining(" "))
                            + " \"$@\"\n");
            if (!script.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + script + " executable");
            }
        }
    }

    private static List<String> java(Path argfile, Path log4j, List<String> jvm) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        command.add("@" + argfile);
        return command;
    }

    /** This test's classpath: Kafka's server and tools with their dependencies. */
    private static String classpath() {
        String classpath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
