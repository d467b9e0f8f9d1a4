package io.inctrlstream.launcher;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of separate broker processes (KRaft; every node a broker and a voter of the
 * controller quorum), from Kafka's server classes on Maven Central, on loopback ports picked free:
 * internal topics with replication factor 3 and min.insync.replicas 2, as production runs them. A
 * node can be killed (SIGKILL). Every process is killed on close, and by a shutdown hook if the
 * test JVM ends first.
 */
final class KafkaClusterProcesses implements AutoCloseable {
    private final Path directory;
    private final List<Integer> ports;
    private final List<Process> nodes = new ArrayList<>();
    private final Thread killer = new Thread(this::killAll, "kafka-cluster-killer");

    private KafkaClusterProcesses(Path directory, List<Integer> ports) {
        this.directory = directory;
        this.ports = ports;
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Formats and starts {@code size} nodes and waits until every broker is registered. */
    static KafkaClusterProcesses start(Path directory, int size) throws Exception {
        Files.createDirectories(directory);
        List<Integer> ports = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(freePort());
            controllerPorts.add(freePort());
        }
        String voters =
                java.util.stream.IntStream.range(0, size)
                        .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                        .collect(Collectors.joining(","));
        Path log4j = directory.resolve("log4j2.properties");
        Files.writeString(
                log4j,
                String.join(
                        "\n",
                        "rootLogger.level = WARN",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = ${sys:kafka.log.file}",
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c - %m%n",
                        ""));
        Path argfile = directory.resolve("classpath.args");
        Files.writeString(argfile, "-cp " + classpath() + "\n");
        String clusterId = Uuid.randomUuid().toString();
        KafkaClusterProcesses cluster = new KafkaClusterProcesses(directory, ports);
        try {
            for (int i = 0; i < size; i++) {
                Path config = directory.resolve("node-" + i + ".properties");
                Files.writeString(
                        config,
                        String.join(
                                "\n",
                                "process.roles=broker,controller",
                                "node.id=" + (i + 1),
                                "controller.quorum.voters=" + voters,
                                "listeners=PLAINTEXT://127.0.0.1:"
                                        + ports.get(i)
                                        + ",CONTROLLER://127.0.0.1:"
                                        + controllerPorts.get(i),
                                "advertised.listeners=PLAINTEXT://127.0.0.1:" + ports.get(i),
                                "listener.security.protocol.map="
                                        + "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=PLAINTEXT",
                                "log.dirs=" + directory.resolve("node-" + i),
                                "offsets.topic.replication.factor=3",
                                "offsets.topic.num.partitions=2",
                                "transaction.state.log.replication.factor=3",
                                "transaction.state.log.min.isr=2",
                                "transaction.state.log.num.partitions=2",
                                "transaction.max.timeout.ms=3600000",
                                "min.insync.replicas=2",
                                "default.replication.factor=3",
                                "group.initial.rebalance.delay.ms=0",
                                ""));
                List<String> format = cluster.java(argfile, log4j, "format-" + i);
                format.addAll(
                        List.of(
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                clusterId,
                                "-c",
                                config.toString()));
                Process formatting =
                        new ProcessBuilder(format)
                                .redirectErrorStream(true)
                                .redirectOutput(directory.resolve("format-" + i + ".out").toFile())
                                .start();
                if (!formatting.waitFor(120, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                    formatting.destroyForcibly();
                    throw new IllegalStateException(
                            "formatting node "
                                    + i
                                    + " failed: "
                                    + Files.readString(directory.resolve("format-" + i + ".out")));
                }
            }
            for (int i = 0; i < size; i++) {
                List<String> server = cluster.java(argfile, log4j, "node-" + i);
                server.add(1, "-Xmx384m");
                server.addAll(
                        List.of(
                                "kafka.Kafka",
                                directory.resolve("node-" + i + ".properties").toString()));
                Process node =
                        new ProcessBuilder(server)
                                .redirectErrorStream(true)
                                .redirectOutput(directory.resolve("node-" + i + ".out").toFile())
                                .start();
                synchronized (cluster.nodes) {
                    cluster.nodes.add(node);
                }
            }
            cluster.awaitBrokers(size);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Every node's client listener. */
    String bootstrapServers() {
        return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Kills node {@code index} (SIGKILL): no clean shutdown, no leadership handed over. */
    void kill(int index) throws InterruptedException {
        Process node;
        synchronized (nodes) {
            node = nodes.get(index);
        }
        node.destroyForcibly();
        node.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitBrokers(int size) throws Exception {
        Properties admin = new Properties();
        admin.put("bootstrap.servers", bootstrapServers());
        admin.put("request.timeout.ms", "5000");
        admin.put("default.api.timeout.ms", "5000");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        String last = "no answer";
        try (Admin client = Admin.create(admin)) {
            while (Instant.now().isBefore(deadline)) {
                synchronized (nodes) {
                    for (int i = 0; i < nodes.size(); i++) {
                        if (!nodes.get(i).isAlive()) {
                            throw new IllegalStateException(
                                    "Kafka node "
                                            + i
                                            + " ended: "
                                            + Files.readString(
                                                    directory.resolve("node-" + i + ".out")));
                        }
                    }
                }
                try {
                    int brokers = client.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
                    if (brokers == size) {
                        return;
                    }
                    last = brokers + " brokers";
                } catch (Exception e) {
                    last = e.toString();
                }
                TimeUnit.MILLISECONDS.sleep(300); // polling interval of a bounded wait
            }
        }
        throw new IllegalStateException(
                "the Kafka cluster did not have " + size + " brokers within 180 s: " + last);
    }

    private List<String> java(Path argfile, Path log4j, String name) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dkafka.log.file=" + directory.resolve(name + ".log"));
        command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        command.add("@" + argfile);
        return command;
    }

    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void killAll() {
        synchronized (nodes) {
            nodes.forEach(Process::destroyForcibly);
            for (Process node : nodes) {
                try {
                    node.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            nodes.clear();
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }
}
