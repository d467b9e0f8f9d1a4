package io.inctrlstream.launcher;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A Flink standalone session cluster of separate JVM processes, started from Flink's own entry
 * points (flink-runtime's StandaloneSessionClusterEntrypoint and TaskManagerRunner; flink-dist is
 * not on Maven Central), on loopback ports picked free, with the memory options the start scripts
 * compute. Its classpath is this test's without the project's classes and the job's libraries
 * (Kafka, Avro, ONNX Runtime, Jackson, the connector), like flink-dist's lib folder: the job comes
 * as its jar. Every process is killed on close, and by a shutdown hook if the test JVM ends first.
 */
final class FlinkStandaloneCluster implements AutoCloseable {
    private static final List<String> NOT_FLINK =
            List.of(
                    "/target/",
                    "/io/inctrlstream/",
                    "/org/apache/kafka/",
                    "/org/apache/avro/",
                    "/com/microsoft/onnxruntime/",
                    "/com/fasterxml/",
                    "/info/picocli/",
                    "/org/junit/",
                    "/org/assertj/",
                    "/org/opentest4j/",
                    "/org/apiguardian/",
                    "flink-connector-kafka");

    /**
     * The module openings Flink's start scripts give every JVM on Java 17 (flink-dist's
     * env.java.default-opts.all): Flink's serializers and the job's reach into java.base.
     */
    private static final List<String> JAVA_17_OPENS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** A TaskManager's process name and resource id (the REST API's TaskManager id): + index. */
    static final String TASK_MANAGER_PREFIX = "taskmanager-";

    private final Path directory;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> byName = new LinkedHashMap<>();
    private final Thread killer = new Thread(this::killAll, "flink-cluster-killer");

    private FlinkStandaloneCluster(Path directory, int restPort) {
        this.directory = directory;
        this.restPort = restPort;
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts a JobManager and {@code taskManagers} TaskManagers and waits for their slots. */
    static FlinkStandaloneCluster start(Path directory, int taskManagers, int slots)
            throws Exception {
        Files.createDirectories(directory.resolve("conf"));
        int restPort = freePort();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", Integer.toString(freePort()));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", Integer.toString(restPort));
        config.put("taskmanager.host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        config.put("jobmanager.memory.process.size", "1024m");
        config.put("taskmanager.memory.process.size", "1280m");
        config.put("taskmanager.memory.managed.fraction", "0.1");
        config.put(
                "execution.checkpointing.dir", directory.resolve("checkpoints").toUri().toString());
        config.put(
                "execution.checkpointing.savepoint-dir",
                directory.resolve("savepoints").toUri().toString());
        config.put("web.upload.dir", directory.resolve("uploads").toString());
        config.put("io.tmp.dirs", directory.resolve("tmp").toString());
        // A job's slots spread over the TaskManagers (a lost TaskManager takes tasks with it).
        config.put("taskmanager.load-balance.mode", "SLOTS");
        config.put("restart-strategy.type", "fixed-delay");
        // A killed TaskManager is noticed within seconds, and the restarts outlast the wait.
        config.put("heartbeat.interval", "2000");
        config.put("heartbeat.timeout", "10000");
        config.put("restart-strategy.fixed-delay.attempts", "30");
        config.put("restart-strategy.fixed-delay.delay", "2 s");
        Files.createDirectories(directory.resolve("uploads"));
        Files.createDirectories(directory.resolve("tmp"));
        Files.writeString(
                directory.resolve("conf").resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
                config.entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(
                directory.resolve("conf").resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = ${sys:log.file}",
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                        ""));
        FlinkStandaloneCluster cluster = new FlinkStandaloneCluster(directory, restPort);
        try {
            Configuration flink = Configuration.fromMap(config);
            JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(flink);
            cluster.launch(
                    "jobmanager",
                    JobManagerProcessUtils.generateJvmParametersStr(jm, flink),
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    JobManagerProcessUtils.generateDynamicConfigsStr(jm));
            TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(flink);
            for (int i = 0; i < taskManagers; i++) {
                cluster.launch(
                        TASK_MANAGER_PREFIX + i,
                        ProcessMemoryUtils.generateJvmParametersStr(tm),
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        TaskExecutorProcessUtils.generateDynamicConfigsStr(tm)
                                + " -D taskmanager.resource-id="
                                + TASK_MANAGER_PREFIX
                                + i);
            }
            cluster.awaitSlots(taskManagers * slots);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    Path directory() {
        return directory;
    }

    private void launch(String name, String jvmParameters, String mainClass, String dynamicConfigs)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(jvmParameters.trim().split("\\s+")));
        command.addAll(JAVA_17_OPENS);
        command.add("-Dlog.file=" + directory.resolve(name + ".log"));
        command.add(
                "-Dlog4j.configurationFile=" + directory.resolve("conf/log4j2.properties").toUri());
        command.add("-cp");
        command.add(flinkClasspath());
        command.add(mainClass);
        command.add("--configDir");
        command.add(directory.resolve("conf").toString());
        command.addAll(Arrays.asList(dynamicConfigs.trim().split("\\s+")));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve(name + ".out").toFile())
                        .start();
        synchronized (processes) {
            processes.add(process);
            byName.put(name, process);
        }
    }

    /** Kills TaskManager {@code index} (SIGKILL): its tasks fail, its slots are lost. */
    void killTaskManager(int index) throws InterruptedException {
        Process process;
        synchronized (processes) {
            process = byName.get(TASK_MANAGER_PREFIX + index);
        }
        if (process == null) {
            throw new IllegalArgumentException("no TaskManager " + index);
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private static String flinkClasspath() {
        String classpath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> NOT_FLINK.stream().noneMatch(entry.replace('\\', '/')::contains))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private void awaitSlots(int slots) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            synchronized (processes) {
                for (Process process : processes) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "a Flink process ended (exit "
                                        + process.exitValue()
                                        + "); see "
                                        + directory);
                    }
                }
            }
            try {
                last =
                        http.send(
                                        HttpRequest.newBuilder(URI.create(restUrl() + "/overview"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                if (last.contains("\"slots-total\":" + slots)) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(500); // polling interval of a bounded wait
        }
        throw new IllegalStateException(
                "the Flink cluster did not offer "
                        + slots
                        + " slots within 120 s: "
                        + last
                        + "; logs in "
                        + directory);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void killAll() {
        synchronized (processes) {
            for (Process process : processes) {
                process.destroyForcibly();
            }
            for (Process process : processes) {
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            processes.clear();
            byName.clear();
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
