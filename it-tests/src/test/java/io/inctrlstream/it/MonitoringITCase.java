package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/monitoring against the running job: a real Prometheus server scrapes the job's metrics
 * from Flink's Prometheus reporter (the reporter the TaskManager images ship) while frames are
 * scored; its HTTP API answers with the frames-scored counter, the latency percentiles and the
 * model/device info metric; it evaluates every alert rule without error; {@code promtool} accepts
 * the rules and the scrape configuration; and every metric name the rules and the Grafana dashboard
 * use is one the scrape returned. Skipped, saying why, where Debian's prometheus package is not
 * installed ({@code bash .ci/install-deps servers} installs it).
 */
@ExtendWith(SharedKafka.class)
@Timeout(300)
class MonitoringITCase {
    private static final Path MONITORING = Path.of("..", "deploy", "monitoring");
    private static final Path RULES = MONITORING.resolve("alert-rules.yml");
    private static final Path SCRAPE_CONFIG = MONITORING.resolve("prometheus.yml");
    private static final Path DASHBOARD = MONITORING.resolve("grafana-dashboard.json");

    /** The scrape job's name in deploy/monitoring/prometheus.yml, which the rules select. */
    private static final String SCRAPE_JOB = "inctrl-flink";

    private static final Pattern METRIC_NAME = Pattern.compile("\\bflink_[A-Za-z0-9_]+");
    private static final List<String> LINES = List.of("line-m1", "line-m2");
    private static final int FRAMES_PER_LINE = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private static final int REPORTER_PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(JobUnderTest.PARALLELISM)
                            .setConfiguration(prometheusReporter())
                            .build());

    @TempDir Path work;

    /** Flink's Prometheus reporter as deploy/ configures it, on a free port. */
    private static Configuration prometheusReporter() {
        Configuration config = new Configuration();
        config.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        config.setString("metrics.reporter.prom.port", Integer.toString(REPORTER_PORT));
        return config;
    }

    @Test
    void prometheusScrapesTheJobAndEveryRuleAndPanelNamesAScrapedMetric(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        Assumptions.assumeTrue(
                PrometheusServer.installed(),
                "SKIPPED: Debian's prometheus package (/usr/bin/prometheus, /usr/bin/promtool) is"
                        + " not installed; `bash .ci/install-deps servers` installs it");

        PrometheusServer.ToolRun rules =
                PrometheusServer.promtool("check", "rules", RULES.toString());
        assertThat(rules.exitCode()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS");
        PrometheusServer.ToolRun config =
                PrometheusServer.promtool("check", "config", SCRAPE_CONFIG.toString());
        assertThat(config.exitCode()).as(config.output()).isZero();

        InspectionTopics topics = TestTopics.create(broker, "monitoring");
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job = JobUnderTest.builder(broker, topics).start(cluster);
                PrometheusServer prometheus =
                        PrometheusServer.start(
                                work.resolve("prometheus"),
                                SCRAPE_JOB,
                                "127.0.0.1:" + REPORTER_PORT,
                                RULES)) {
            for (String line : LINES) {
                assertThat(
                                io.apply(
                                                Records.command(
                                                        line,
                                                        line + "-shots",
                                                        Records.setShots(Records.shots(2, 0))))
                                        .getOutcome())
                        .isEqualTo(ControlOutcome.APPLIED);
            }
            // Every frame of the first line is anomalous (score >= 0): its per-line alert
            // counters exist from its first scored frame on.
            assertThat(
                            io.apply(
                                            Records.command(
                                                    LINES.get(0),
                                                    LINES.get(0) + "-threshold",
                                                    Records.setThreshold(0.0)))
                                    .getOutcome())
                    .isEqualTo(ControlOutcome.APPLIED);
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < FRAMES_PER_LINE; i++) {
                for (String line : LINES) {
                    frames.add(Records.goodFrame(line, "m-" + i));
                }
            }
            io.send(frames);
            io.awaitScores(frames);

            JsonNode scored =
                    awaitQuery(
                            prometheus,
                            "sum(flink_taskmanager_job_task_operator_framesScored)",
                            result -> value(result) >= frames.size());
            assertThat(value(scored)).isEqualTo(frames.size());
            JsonNode latency =
                    awaitQuery(
                            prometheus,
                            "max(flink_taskmanager_job_task_operator_endToEndLatencyMs"
                                    + "{quantile=\"0.99\"})",
                            result -> value(result) > 0);
            assertThat(value(latency)).isPositive();
            JsonNode device =
                    awaitQuery(
                            prometheus,
                            "flink_taskmanager_job_task_operator_model_device_info",
                            result -> result.size() > 0);
            assertThat(device.get(0).path("metric").path("device").asText()).isEqualTo("CPU");
            // The reporter writes label values with every character but [A-Za-z0-9_:] as '_'.
            assertThat(device.get(0).path("metric").path("model").asText())
                    .isEqualTo(Scores.modelId().replaceAll("[^A-Za-z0-9_:]", "_"));

            JsonNode anomalous =
                    awaitQuery(
                            prometheus,
                            "sum by (line) (flink_taskmanager_job_task_operator_line_anomalousFrames)",
                            result -> value(result) >= FRAMES_PER_LINE);
            assertThat(anomalous.get(0).path("metric").path("line").asText())
                    .isEqualTo(LINES.get(0).replace('-', '_'));
            Set<String> scrapedNames = new TreeSet<>();
            prometheus
                    .api("/api/v1/label/__name__/values")
                    .forEach(name -> scrapedNames.add(name.asText()));
            Files.writeString(
                    Path.of("target", "monitoring-scraped-metric-names.txt"),
                    String.join("\n", scrapedNames) + "\n");
            Set<String> used = new TreeSet<>(metricNames(RULES));
            used.addAll(metricNames(DASHBOARD));
            assertThat(used).as("metric names in the rules and the dashboard").isNotEmpty();
            assertThat(scrapedNames)
                    .as(
                            "the scrape (all names in target/monitoring-scraped-metric-names.txt)"
                                    + " has every metric the rules and the dashboard use")
                    .containsAll(used);
            assertEveryRuleEvaluatesHealthy(prometheus);
            assertDashboardPanelsQueryTheJob();
            assertThat(job.highestAttempt()).as("the job never restarted").isZero();
        }
    }

    /** Prometheus evaluated each rule of the file (after the job's first scrapes) without error. */
    private static void assertEveryRuleEvaluatesHealthy(PrometheusServer prometheus)
            throws Exception {
        JsonNode groups =
                awaitApi(
                        prometheus,
                        "/api/v1/rules",
                        // Evaluated at least once, and the job-down alert no longer pending from
                        // evaluations before the job's metrics were first scraped.
                        data ->
                                rules(data).stream()
                                                .allMatch(
                                                        rule ->
                                                                !rule.path("lastEvaluation")
                                                                        .asText()
                                                                        .startsWith("0001"))
                                        && rules(data).stream()
                                                .filter(
                                                        rule ->
                                                                rule.path("name")
                                                                        .asText()
                                                                        .equals("InctrlJobDown"))
                                                .allMatch(
                                                        rule ->
                                                                rule.path("state")
                                                                        .asText()
                                                                        .equals("inactive")));
        List<JsonNode> rules = rules(groups);
        assertThat(rules)
                .extracting(rule -> rule.path("name").asText())
                .contains(
                        "InctrlJobDown",
                        "InctrlNoFramesScored",
                        "InctrlDeadLetterRate",
                        "InctrlLatencyP99High",
                        "InctrlInferenceFailing",
                        "InctrlBankRebuildsFailing",
                        "InctrlJobRestarting",
                        "InctrlCheckpointsFailing");
        assertThat(rules)
                .allSatisfy(
                        rule ->
                                assertThat(rule.path("health").asText())
                                        .as(rule.toString())
                                        .isEqualTo("ok"));
        // The job runs: the job-down alert is not pending or firing.
        assertThat(rules)
                .filteredOn(rule -> rule.path("name").asText().equals("InctrlJobDown"))
                .allSatisfy(rule -> assertThat(rule.path("state").asText()).isEqualTo("inactive"));
    }

    private static List<JsonNode> rules(JsonNode data) {
        List<JsonNode> rules = new ArrayList<>();
        data.path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    /** The dashboard is JSON with panels, each of whose queries names one of the job's metrics. */
    private static void assertDashboardPanelsQueryTheJob() throws IOException {
        JsonNode dashboard =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(DASHBOARD.toFile());
        List<JsonNode> targets = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(targets::add));
        assertThat(targets).as("the dashboard's panel queries").hasSizeGreaterThan(5);
        assertThat(targets)
                .allSatisfy(
                        target ->
                                assertThat(target.path("expr").asText())
                                        .containsPattern(METRIC_NAME));
    }

    private static Set<String> metricNames(Path file) {
        try {
            Set<String> names = new TreeSet<>();
            Matcher matcher = METRIC_NAME.matcher(Files.readString(file));
            while (matcher.find()) {
                names.add(matcher.group());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double value(JsonNode vector) {
        return vector.size() == 0 ? Double.NaN : vector.get(0).path("value").get(1).asDouble();
    }

    private static JsonNode awaitQuery(
            PrometheusServer prometheus, String promql, Predicate<JsonNode> done) throws Exception {
        return await(() -> prometheus.query(promql), done, "the query " + promql);
    }

    private static JsonNode awaitApi(
            PrometheusServer prometheus, String path, Predicate<JsonNode> done) throws Exception {
        return await(() -> prometheus.api(path), done, "the API call " + path);
    }

    private interface Call {
        JsonNode call() throws Exception;
    }

    private static JsonNode await(Call call, Predicate<JsonNode> done, String what)
            throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = call.call();
            if (done.test(last)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(500); // polling interval of a bounded wait
        }
        throw new AssertionError(
                what + " did not give the expected answer within " + DEADLINE + ": " + last);
    }

    private static int freePort() {
        try {
            return PrometheusServer.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
