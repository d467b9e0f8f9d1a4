package io.inctrlstream.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node Kafka broker (KRaft, one process acting as broker and controller) running inside
 * this JVM and listening on localhost only: for the local demo and the end-to-end tests.
 *
 * <p>It wraps Kafka's internal KRaft test kit, which may change between Kafka releases; this is the
 * only class of the project that touches it. The broker is configured for a single node (internal
 * topics with replication factor 1, so that consumer groups and transactions work) and stores its
 * logs in a temporary directory deleted on {@link #close()}, unless a log directory is given.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
 *     broker.start();
 *     broker.createTopics(Map.of("frames", 2, "scores", 2));
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements SingleNodeKafka {

    /**
     * Broker settings a single node needs, applied before the caller's properties. Without the
     * replication factors of 1, group consumers silently read nothing and transactions never start.
     * Kafka's default maximum transaction timeout (15 min) is raised to one hour, the timeout
     * Flink's exactly-once Kafka sink asks for by default.
     */
    static final Map<String, String> SINGLE_NODE_DEFAULTS =
            Map.ofEntries(
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "4"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("transaction.state.log.num.partitions", "4"),
                    Map.entry(
                            "transaction.max.timeout.ms",
                            Long.toString(Duration.ofHours(1).toMillis())),
                    Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                    Map.entry("share.coordinator.state.topic.min.isr", "1"),
                    Map.entry("group.initial.rebalance.delay.ms", "0"));

    private static final String BROKER_LISTENER = "BROKER";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** Serializes the brokers' swaps of the process-global {@code System.out}. */
    private static final Object STDOUT_SWAP_LOCK = new Object();

    private enum State {
        CREATED,
        RUNNING,
        CLOSED
    }

    private final Path configuredLogDirectory;
    private final int port;
    private final Map<String, String> brokerProperties;

    private State state = State.CREATED;
    private Path logDirectory;
    private boolean deleteLogDirectory;
    private KafkaClusterTestKit cluster;
    private String bootstrapServers;

    private EmbeddedKafkaBroker(Builder builder) {
        this.configuredLogDirectory = builder.logDirectory;
        this.port = builder.port;
        Map<String, String> properties = new LinkedHashMap<>(SINGLE_NODE_DEFAULTS);
        properties.putAll(builder.brokerProperties);
        this.brokerProperties = Map.copyOf(properties);
    }

    /** A builder of a broker with a temporary log directory and a free port. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the log directory and starts the broker; returns when it accepts clients. Kafka's
     * storage formatter prints two lines to {@code System.out}; they are discarded, so that a
     * command line's own output stays clean: {@code System.out} is muted (process-wide) for the
     * formatting only.
     *
     * @throws IllegalStateException if the broker was started or closed before
     * @throws IOException if the log directory cannot be created or the broker cannot start
     */
    public synchronized void start() throws IOException {
        if (state != State.CREATED) {
            throw new IllegalStateException(
                    "expected a broker that was never started, found one that is "
                            + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        state = State.RUNNING;
        try {
            if (configuredLogDirectory == null) {
                logDirectory = Files.createTempDirectory("inctrl-kafka-");
                deleteLogDirectory = true;
            } else {
                logDirectory = Files.createDirectories(configuredLogDirectory);
                deleteLogDirectory = false;
            }
            TestKitNodes nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBaseDirectory(logDirectory)
                            .setBrokerListenerName(ListenerName.normalised(BROKER_LISTENER))
                            .setControllerListenerName(ListenerName.normalised(CONTROLLER_LISTENER))
                            .build();
            KafkaClusterTestKit.Builder clusterBuilder =
                    new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(false);
            // The controller listener keeps the test kit's pre-bound free port.
            clusterBuilder.setConfigProp(
                    "listeners",
                    BROKER_LISTENER
                            + "://localhost:"
                            + port
                            + ","
                            + CONTROLLER_LISTENER
                            + "://localhost:0");
            brokerProperties.forEach(clusterBuilder::setConfigProp);
            cluster = clusterBuilder.build();
            formatWithStdoutMuted(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            bootstrapServers = cluster.bootstrapServers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietlyAfterFailedStart();
            throw new IOException("interrupted while starting the embedded Kafka broker", e);
        } catch (IOException | RuntimeException e) {
            closeQuietlyAfterFailedStart();
            throw e;
        } catch (Exception e) {
            closeQuietlyAfterFailedStart();
            throw new IOException(
                    "could not start the embedded Kafka broker in " + logDirectory + ": " + e, e);
        }
    }

    /**
     * Formats the storage with {@code System.out} muted: Kafka's formatter prints its bootstrap
     * metadata and the directory there, and offers no option to stop it. {@code System.out} is
     * process-global, so the swap covers the formatting only, is restored in {@code finally}, and
     * is serialized between brokers (so that one never restores another's muted stream); anything
     * else printing meanwhile is lost too.
     */
    private static void formatWithStdoutMuted(KafkaClusterTestKit cluster) throws Exception {
        synchronized (STDOUT_SWAP_LOCK) {
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true));
            try {
                cluster.format();
            } finally {
                System.setOut(stdout);
            }
        }
    }

    /**
     * The {@code bootstrap.servers} value of this broker, {@code localhost:<port>}.
     *
     * @throws IllegalStateException if the broker is not running
     */
    @Override
    public synchronized String bootstrapServers() {
        requireRunning("bootstrapServers()");
        return bootstrapServers;
    }

    /** The broker's port on localhost. */
    public synchronized int port() {
        String servers = bootstrapServers();
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    /** The directory holding the broker's metadata and logs. */
    public synchronized Path logDirectory() {
        requireRunning("logDirectory()");
        return logDirectory;
    }

    /**
     * Creates the topics (replication factor 1) that do not exist yet and waits until every
     * partition of each has a leader. An existing topic is left as it is.
     *
     * @param partitionsByTopic topic name to partition count (at least 1)
     * @throws IllegalArgumentException if a name is blank or a partition count below 1
     * @throws IllegalStateException if the broker is not running
     * @throws IOException if the broker refuses or does not answer in time
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws IOException {
        createTopics(partitionsByTopic, Map.of());
    }

    /**
     * Stops the broker and deletes its temporary log directory (a given log directory is kept).
     * Closing again does nothing.
     */
    @Override
    public synchronized void close() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        try {
            if (cluster != null) {
                cluster.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new IOException("the embedded Kafka broker did not stop cleanly: " + e, e);
        } finally {
            cluster = null;
            if (deleteLogDirectory) {
                deleteRecursively(logDirectory);
            }
        }
    }

    private void requireRunning(String operation) {
        if (state != State.RUNNING || bootstrapServers == null) {
            throw new IllegalStateException(
                    "expected a running broker for "
                            + operation
                            + ", found one that is "
                            + (state == State.RUNNING
                                    ? "starting"
                                    : state == State.CREATED ? "not started" : "closed"));
        }
    }

    private void closeQuietlyAfterFailedStart() {
        try {
            close();
        } catch (IOException | RuntimeException suppressed) {
            // the start failure is the error worth reporting
        }
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.deleteIfExists(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                                throws IOException {
                            Files.deleteIfExists(dir);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not delete the broker's log directory " + root, e);
        }
    }

    /** Builds an {@link EmbeddedKafkaBroker}; validated in {@link #build()}. */
    public static final class Builder {
        private Path logDirectory;
        private int port;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Keeps the broker's metadata and logs in this (new or empty) directory, which is not
         * deleted on close. Default: a temporary directory deleted on close.
         */
        public Builder logDirectory(Path directory) {
            this.logDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The client port on localhost; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * A broker setting (for example {@code message.max.bytes}), applied after the single-node
         * defaults. The listeners, node roles and directories are the broker's own.
         */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            brokerProperties.put(key, value);
            return this;
        }

        /** Several broker settings, see {@link #brokerProperty(String, String)}. */
        public Builder brokerProperties(Map<String, String> properties) {
            Objects.requireNonNull(properties, "properties").forEach(this::brokerProperty);
            return this;
        }

        /**
         * A broker that is not started yet.
         *
         * @throws IllegalArgumentException if the port is outside 0..65535, a setting is one the
         *     broker owns, or the log directory is a non-empty directory or a file
         */
        public EmbeddedKafkaBroker build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "expected a port in 0..65535 (0: any free port), found " + port);
            }
            for (String owned : OWNED_PROPERTIES) {
                if (brokerProperties.containsKey(owned)) {
                    throw new IllegalArgumentException(
                            "expected broker settings other than "
                                    + OWNED_PROPERTIES
                                    + " (the embedded broker sets them), found '"
                                    + owned
                                    + "'");
                }
            }
            if (logDirectory != null && Files.exists(logDirectory)) {
                if (!Files.isDirectory(logDirectory)) {
                    throw new IllegalArgumentException(
                            "expected a log directory, found a file at " + logDirectory);
                }
                try (var entries = Files.list(logDirectory)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(
                                "expected a new or empty log directory, found files in "
                                        + logDirectory);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            "could not read the log directory " + logDirectory, e);
                }
            }
            return new EmbeddedKafkaBroker(this);
        }

        private static final List<String> OWNED_PROPERTIES =
                List.of(
                        "listeners",
                        "advertised.listeners",
                        "listener.security.protocol.map",
                        "controller.listener.names",
                        "inter.broker.listener.name",
                        "process.roles",
                        "node.id",
                        "log.dirs",
                        "log.dir",
                        "metadata.log.dir");
    }
}
