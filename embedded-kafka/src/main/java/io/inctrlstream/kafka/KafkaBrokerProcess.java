package io.inctrlstream.kafka;

import io.inctrlstream.kafka.internal.BrokerProcessMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Kafka broker ({@link EmbeddedKafkaBroker}) in a JVM of its own, started from this
 * JVM's class path: so that a benchmark measures a job whose broker does not share its JIT
 * compiler, heap and garbage collector, as in a deployment (the broker still shares the machine's
 * cores). The process stops when this object is closed, and when this JVM ends (its standard input
 * closes; a shutdown hook also kills it).
 *
 * <pre>{@code
 * try (KafkaBrokerProcess broker = KafkaBrokerProcess.builder().build()) {
 *     broker.start();
 *     broker.createTopics(Map.of("frames", 2), Map.of());
 * }
 * }</pre>
 */
public final class KafkaBrokerProcess implements SingleNodeKafka {
    private static final int OUTPUT_LINES_KEPT = 40;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private enum State {
        CREATED,
        RUNNING,
        CLOSED
    }

    private final Map<String, String> brokerProperties;
    private final List<String> javaOptions;
    private final Duration startTimeout;
    private final Deque<String> output = new ArrayDeque<>();
    private final Thread killer = new Thread(this::kill, "inctrl-broker-process-killer");

    private State state = State.CREATED;
    private Process process;
    private Path logDirectory;
    private String bootstrapServers;

    private KafkaBrokerProcess(Builder builder) {
        this.brokerProperties = Map.copyOf(builder.brokerProperties);
        this.javaOptions = List.copyOf(builder.javaOptions);
        this.startTimeout = builder.startTimeout;
    }

    /** A builder of a broker process with a 1 GB heap and a two-minute start timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the process and returns when its broker accepts clients.
     *
     * @throws IllegalStateException if it was started or closed before
     * @throws IOException if the process cannot start, or its broker is not ready in time (the
     *     message ends with the process's last lines of output)
     */
    public synchronized void start() throws IOException {
        if (state != State.CREATED) {
            throw new IllegalStateException(
                    "expected a broker process that was never started, found one that is "
                            + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        state = State.RUNNING;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BrokerProcessMain.class.getName());
        logDirectory = Files.createTempDirectory("inctrl-kafka-process-");
        command.add(logDirectory.toString());
        brokerProperties.forEach((key, value) -> command.add(key + "=" + value));
        Path argfile = Files.createTempFile("inctrl-broker-", ".args");
        try {
            // The class path can exceed the command line's limit: pass it in an argument file.
            Files.write(argfile, quoted(command.subList(1, command.size())));
            process =
                    new ProcessBuilder(command.get(0), "@" + argfile)
                            .redirectErrorStream(true)
                            .start();
            Runtime.getRuntime().addShutdownHook(killer);
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> readOutput(ready), "inctrl-broker-process-output");
            reader.setDaemon(true);
            reader.start();
            bootstrapServers = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAfterFailedStart();
            throw new IOException("interrupted while starting the Kafka broker process", e);
        } catch (ExecutionException | TimeoutException e) {
            closeAfterFailedStart();
            throw new IOException(
                    "the Kafka broker process was not ready after "
                            + startTimeout.toSeconds()
                            + " s"
                            + (e instanceof ExecutionException
                                    ? " (" + e.getCause().getMessage() + ")"
                                    : "")
                            + "; its last output:\n"
                            + lastOutput(),
                    e);
        } catch (IOException | RuntimeException e) {
            closeAfterFailedStart();
            throw e;
        } finally {
            Files.deleteIfExists(argfile);
        }
    }

    private void readOutput(CompletableFuture<String> ready) {
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(BrokerProcessMain.READY)) {
                    ready.complete(line.substring(BrokerProcessMain.READY.length()).trim());
                    continue;
                }
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > OUTPUT_LINES_KEPT) {
                        output.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        ready.completeExceptionally(
                new IOException("the process ended before its broker was ready"));
    }

    private String lastOutput() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** The process id (for a test that kills it, or a profiler). */
    public synchronized long pid() {
        requireRunning("pid()");
        return process.pid();
    }

    @Override
    public synchronized String bootstrapServers() {
        requireRunning("bootstrapServers()");
        return bootstrapServers;
    }

    /**
     * Stops the broker (closes the process's standard input, so it shuts the broker down and exits)
     * and waits for it; a process still running after 30 s is killed. Closing again does nothing.
     *
     * @throws IOException if the process had to be killed
     */
    @Override
    public synchronized void close() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (process == null) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException(
                        "the Kafka broker process did not stop within "
                                + STOP_TIMEOUT.toSeconds()
                                + " s and was killed; its last output:\n"
                                + lastOutput());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while stopping the Kafka broker process", e);
        } finally {
            removeShutdownHook();
            deleteLogDirectory();
        }
    }

    private void closeAfterFailedStart() {
        state = State.CLOSED;
        kill();
        removeShutdownHook();
        deleteLogDirectory();
    }

    /** Deletes the broker's log directory once the process is gone. */
    private void deleteLogDirectory() {
        if (logDirectory == null) {
            return;
        }
        if (process != null) {
            try {
                process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                return; // still running: leave its files
            }
        }
        try (var paths = Files.walk(logDirectory)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left for the system to clean
        }
    }

    /** The broker's log directory (deleted on close). */
    public synchronized Path logDirectory() {
        requireRunning("logDirectory()");
        return logDirectory;
    }

    private void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is shutting down, or the hook was never added
        }
    }

    private void requireRunning(String operation) {
        if (state != State.RUNNING || bootstrapServers == null) {
            throw new IllegalStateException(
                    "expected a running broker process for "
                            + operation
                            + ", found one that is "
                            + (state == State.RUNNING
                                    ? "starting"
                                    : state == State.CREATED ? "not started" : "closed"));
        }
    }

    /** Java's argument-file syntax: each argument quoted, backslashes and quotes escaped. */
    private static List<String> quoted(List<String> arguments) {
        List<String> lines = new ArrayList<>(arguments.size());
        for (String argument : arguments) {
            lines.add("\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return lines;
    }

    /** Builds a {@link KafkaBrokerProcess}; validated in {@link #build()}. */
    public static final class Builder {
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final List<String> javaOptions = new ArrayList<>(List.of("-Xmx1g"));
        private Duration startTimeout = Duration.ofMinutes(2);

        private Builder() {}

        /** A broker setting, as {@link EmbeddedKafkaBroker.Builder#brokerProperty} takes it. */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            brokerProperties.put(key, value);
            return this;
        }

        /** Replaces the process's JVM options (default {@code -Xmx1g}). */
        public Builder javaOptions(List<String> options) {
            javaOptions.clear();
            javaOptions.addAll(Objects.requireNonNull(options, "options"));
            return this;
        }

        /** How long {@link #start()} waits for the broker (default 2 minutes). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * A broker process that is not started yet.
         *
         * @throws IllegalArgumentException if the start timeout is not positive, or a setting is
         *     one the broker owns (checked as {@link EmbeddedKafkaBroker.Builder#build()} does)
         */
        public KafkaBrokerProcess build() {
            if (startTimeout.isZero() || startTimeout.isNegative()) {
                throw new IllegalArgumentException(
                        "expected a positive start timeout, found " + startTimeout);
            }
            EmbeddedKafkaBroker.builder().brokerProperties(brokerProperties).build();
            return new KafkaBrokerProcess(this);
        }
    }
}
