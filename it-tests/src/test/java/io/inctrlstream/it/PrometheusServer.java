package io.inctrlstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) as its own process on a free
 * loopback port, scraping one target every second and evaluating the given rule file, with its HTTP
 * API for queries. Killed on close.
 */
final class PrometheusServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path directory;
    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.url = "http://127.0.0.1:" + port;
    }

    /** Whether Debian's prometheus package (server and promtool) is installed. */
    static boolean installed() {
        return Files.isExecutable(BINARY) && Files.isExecutable(PROMTOOL);
    }

    /**
     * Starts Prometheus in {@code directory}, scraping {@code target} (host:port) as the job {@code
     * jobName} and evaluating {@code ruleFile}, and waits until it is ready.
     */
    static PrometheusServer start(Path directory, String jobName, String target, Path ruleFile)
            throws Exception {
        Files.createDirectories(directory);
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  evaluation_interval: 1s",
                        "rule_files:",
                        "  - " + ruleFile.toAbsolutePath(),
                        "scrape_configs:",
                        "  - job_name: " + jobName,
                        "    static_configs:",
                        "      - targets: ['" + target + "']",
                        ""));
        int port = freePort();
        Process process =
                new ProcessBuilder(
                                BINARY.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + directory.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("prometheus.log").toFile())
                        .start();
        PrometheusServer server = new PrometheusServer(process, directory, port);
        try {
            server.awaitReady();
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** Runs promtool with the arguments; returns its exit code and output. */
    static ToolRun promtool(String... arguments) throws Exception {
        List<String> command =
                java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(PROMTOOL.toString()),
                                java.util.stream.Stream.of(arguments))
                        .toList();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool did not end within 60 s: " + command);
        }
        return new ToolRun(process.exitValue(), output);
    }

    /** A finished tool run. */
    record ToolRun(int exitCode, String output) {}

    /** The {@code data} of an API call (a path with its query), once the call succeeded. */
    JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException(
                    "Prometheus answered "
                            + response.statusCode()
                            + " to "
                            + pathAndQuery
                            + ": "
                            + response.body());
        }
        return body.path("data");
    }

    /** The result vector of an instant query. */
    JsonNode query(String promql) throws Exception {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("result");
    }

    /** The folder with its configuration, data and log. */
    Path directory() {
        return directory;
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "prometheus ended (exit "
                                + process.exitValue()
                                + "): "
                                + Files.readString(directory.resolve("prometheus.log")));
            }
            try {
                HttpResponse<String> ready =
                        http.send(
                                HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
                last = ready.statusCode() + " " + ready.body();
            } catch (IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(200); // polling interval of a bounded wait
        }
        throw new IllegalStateException("prometheus was not ready within 60 s: " + last);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
