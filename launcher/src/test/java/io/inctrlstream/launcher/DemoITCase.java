package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inctrl demo} for a bounded time, in this JVM: a real Kafka broker, the job on a Flink
 * MiniCluster with its dashboard, the tiny bundle, three simulated lines with seeded defects. Every
 * line's frames are scored, the dashboard shows the running job, and injected defects raise alerts
 * whose heatmaps are written.
 */
class DemoITCase {
    private static final Pattern DASHBOARD = Pattern.compile("dashboard (http://localhost:\\d+)");
    private static final Pattern CHECKPOINTS = Pattern.compile("checkpoints in (\\S+) \\(deleted");

    @TempDir Path work;

    @Test
    void demoScoresEveryLineAndAlertsOnInjectedDefects() throws Exception {
        Path heatmaps = work.resolve("heatmaps");
        Path summaryFile = work.resolve("summary.json");
        WatchedOutput out = new WatchedOutput();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<String> dashboardAddress = dashboardOf(out);
        CompletableFuture<Integer> demo =
                CompletableFuture.supplyAsync(
                        () ->
                                InctrlCli.execute(
                                        new String[] {
                                            "demo",
                                            "--duration",
                                            "25s",
                                            "--lines",
                                            "3",
                                            "--fps",
                                            "3",
                                            "--defect-rate",
                                            "0.3",
                                            "--seed",
                                            "7",
                                            "--dashboard-port",
                                            "0",
                                            "--plain",
                                            "--heatmaps",
                                            heatmaps.toString(),
                                            "--summary",
                                            summaryFile.toString()
                                        },
                                        new PrintStream(out, true, StandardCharsets.UTF_8),
                                        new PrintStream(err, true, StandardCharsets.UTF_8)));

        // Whichever comes first: the dashboard address, or the demo's end (a failure).
        CompletableFuture.anyOf(dashboardAddress, demo).get(5, TimeUnit.MINUTES);
        assertThat(dashboardAddress)
                .as("the demo ended before its dashboard was up:\n%s%s", out.text(), err)
                .isDone();
        String dashboard = dashboardAddress.get();
        JsonNode jobs = getJson(dashboard + "/jobs/overview").path("jobs");
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).path("name").asText()).isEqualTo("InCTRL inspection");
        assertThat(jobs.get(0).path("state").asText()).isEqualTo("RUNNING");

        int exitCode = demo.get(4, TimeUnit.MINUTES);
        String output = out.text();
        assertThat(exitCode).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(output)
                .contains("[1/6] Starting the Kafka broker")
                .contains("9 commands applied")
                .contains("Demo done after")
                .doesNotContain("INCOMPLETE");
        Matcher checkpoints = CHECKPOINTS.matcher(output);
        assertThat(checkpoints.find()).as(output).isTrue();
        assertThat(Path.of(checkpoints.group(1))).as("the run's checkpoint folder").doesNotExist();

        JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        List<JsonNode> lines = summary.path("lines").findParents("lineId");
        assertThat(lines).hasSize(3);
        long alertsOnDefects = 0;
        // Every frame of the offered rate is accounted for: sent, skipped at the camera while the
        // job was behind, or never produced in time (the cameras' own threads starved of CPU on
        // a loaded machine).
        long offered = summary.path("frames").path("cameraLate").asLong();
        for (JsonNode line : lines) {
            offered += line.path("framesSent").asLong() + line.path("droppedAtCamera").asLong();
        }
        assertThat(offered).as("frames of the offered rate, accounted for").isGreaterThan(3 * 30);
        for (JsonNode line : lines) {
            String name = line.path("lineId").asText();
            assertThat(line.path("framesSent").asLong()).as(name).isPositive();
            assertThat(line.path("scored").asLong())
                    .as(name + ": every frame sent is scored")
                    .isEqualTo(line.path("framesSent").asLong());
            assertThat(line.path("failed").asLong()).as(name).isZero();
            assertThat(line.path("noReference").asLong()).as(name).isZero();
            assertThat(line.path("defectsInjected").asLong()).as(name).isPositive();
            alertsOnDefects += line.path("alertsOnDefects").asLong();
        }
        assertThat(alertsOnDefects).as("alerts on injected defects").isPositive();
        assertThat(summary.path("deadLetters").asLong()).isZero();

        JsonNode frames = summary.path("frames");
        assertThat(frames.path("sent").asLong())
                .isEqualTo(frames.path("scored").asLong())
                .isPositive();
        assertThat(frames.path("unscored").asLong()).isZero();
        // On a loaded machine the cameras may skip frames (dropped at the camera, job behind):
        // they are counted, never sent, and every frame sent is still answered.
        assertThat(
                        frames.path("scored").asLong()
                                + frames.path("noReference").asLong()
                                + frames.path("failed").asLong()
                                + frames.path("deadLetters").asLong()
                                + frames.path("unscored").asLong())
                .as("every frame sent is accounted for: " + frames)
                .isEqualTo(frames.path("sent").asLong());
        JsonNode job = summary.path("job");
        assertThat(job.path("restarts").asLong()).as(job.toString()).isZero();
        // Flink also counts a checkpoint that could not be triggered yet because the tasks were
        // still starting (under load); no checkpoint may fail once started.
        assertThat(job.path("lastCheckpointFailure").asText())
                .as("a checkpoint failed: " + job)
                .isEmpty();
        assertThat(job.path("checkpointsCompleted").asLong())
                .as("checkpoints of the banks on disk: " + job)
                .isPositive();
        assertThat(job.path("lastCheckpointBytes").asLong())
                .as("three lines' banks (4 shots, about 87 KB each) are in the checkpoint")
                .isGreaterThan(500_000);
        assertThat(summary.path("problems")).isEmpty();

        List<Path> pngs;
        try (Stream<Path> files = Files.walk(heatmaps)) {
            pngs = files.filter(f -> f.toString().endsWith(".png")).toList();
        }
        assertThat(pngs).hasSize(summary.path("heatmapsWritten").asInt()).isNotEmpty();
        for (Path png : pngs) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(png.toString()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(240);
        }
        assertThat(output).contains("ALERT ").contains(heatmaps.toString());
    }

    /** Completes with the dashboard address once the demo has printed it. */
    private static CompletableFuture<String> dashboardOf(WatchedOutput out) {
        CompletableFuture<String> address = new CompletableFuture<>();
        out.onWrite(
                text -> {
                    Matcher matcher = DASHBOARD.matcher(text);
                    if (matcher.find()) {
                        address.complete(matcher.group(1));
                    }
                });
        return address;
    }

    /** Collects what is written, and tells a listener the text so far after every write. */
    private static final class WatchedOutput extends ByteArrayOutputStream {
        private volatile java.util.function.Consumer<String> listener = text -> {};

        void onWrite(java.util.function.Consumer<String> listener) {
            this.listener = listener;
            listener.accept(text());
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            listener.accept(text());
        }

        @Override
        public synchronized void write(int b) {
            super.write(b);
            listener.accept(text());
        }
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(60))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
