package io.inctrlstream.launcher.internal.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.InspectionJob;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.InspectionModel;
import io.inctrlstream.job.StateBackendKind;
import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.engine.EngineInferenceBackendFactory;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.job.kafka.KafkaInspectionSinks;
import io.inctrlstream.job.kafka.KafkaInspectionSources;
import io.inctrlstream.job.kafka.KafkaSettings;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.launcher.internal.ImageFiles;
import io.inctrlstream.launcher.internal.LocalJob;
import io.inctrlstream.launcher.internal.kafka.ControlClient;
import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import io.inctrlstream.launcher.internal.topics.LocalTopics;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.SetShots;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A soak: the inspection job on a local MiniCluster (exactly-once, checkpoints in a folder) against
 * an embedded Kafka broker, N lines whose cameras send frames at a fixed rate for M minutes, a task
 * failure injected every so often, and a row of figures every report interval (frames sent and
 * scored, restarts, checkpoints, memory). After the cameras stop it waits for the last scores and
 * checks that every frame sent got exactly one committed score.
 */
public final class Soak {
    private static final Logger LOG = LoggerFactory.getLogger(Soak.class);
    private static final int PARTITIONS = 2;
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SHOTS_TIMEOUT = Duration.ofMinutes(10);

    private final SoakSettings settings;
    private final PrintStream out;
    private final InspectionTopics topics = InspectionTopics.withPrefix("soak.");

    public Soak(SoakSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Runs the soak and returns its report (also written to {@code --json} if given).
     *
     * @throws Exception if the broker or the job does not start, or the shots are not applied
     */
    public SoakReport run() throws Exception {
        FailureInjection.reset();
        String modelId =
                new EngineInferenceBackendFactory(
                                EngineBackendSettings.builder(settings.bundle().toString()).build())
                        .modelId();
        Path work = Files.createTempDirectory("inctrl-soak-");
        try (JvmMemory memory = new JvmMemory();
                EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.builder()
                                .brokerProperty("message.max.bytes", Integer.toString(32 << 20))
                                .build()) {
            broker.start();
            LocalTopics.create(
                    broker,
                    topics,
                    Configuration.fromMap(settings.jobSettings()),
                    settings.bundle(),
                    PARTITIONS);
            KafkaClientSettings kafka =
                    new KafkaClientSettings(broker.bootstrapServers(), Map.of());
            List<SoakLine> lines = new ArrayList<>();
            for (int i = 0; i < settings.lines(); i++) {
                lines.add(SoakLine.create(i, settings.shotsPerLine()));
            }
            print(
                    "Soak: %d lines x %d shots of %s, %s frames/s each, for %s; failures %s;"
                            + " checkpoints every %s to %s",
                    lines.size(),
                    settings.shotsPerLine(),
                    modelId,
                    settings.fps(),
                    settings.duration(),
                    settings.failEvery() == null ? "none" : "every " + settings.failEvery(),
                    settings.checkpointInterval(),
                    work.resolve("checkpoints"));
            try (LocalJob job =
                    LocalJob.start(
                            jobConfiguration(broker.bootstrapServers(), work),
                            settings.dashboardPort(),
                            settings.parallelism(),
                            Soak::assemble)) {
                job.awaitRunning(STARTUP_TIMEOUT);
                print("Job running; dashboard %s", job.dashboardUrl());
                registerShots(kafka, job, lines);
                return soak(kafka, job, lines, memory, modelId);
            }
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * The inspection job on Kafka and the engine, with the fail-on-demand stage behind the source.
     */
    private static void assemble(StreamExecutionEnvironment env, Configuration config)
            throws Exception {
        KafkaSettings kafka = KafkaSettings.from(config);
        InspectionJob.build(
                env,
                config,
                FailureInjection.behind(new KafkaInspectionSources(kafka)),
                new KafkaInspectionSinks(kafka),
                InspectionModel.engine(EngineBackendSettings.from(config)));
    }

    private Configuration jobConfiguration(String bootstrapServers, Path work) {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        topics.applyTo(config);
        config.set(InspectionJobOptions.GROUP_ID, "inctrl-soak");
        config.set(
                InspectionJobOptions.TRANSACTIONAL_ID_PREFIX,
                "inctrl-soak-" + UUID.randomUUID().toString().substring(0, 8));
        config.set(InspectionJobOptions.MODEL_BUNDLE, settings.bundle().toString());
        config.set(InspectionJobOptions.DEVICE, settings.device());
        config.set(InspectionJobOptions.DELIVERY_GUARANTEE, DeliveryMode.EXACTLY_ONCE);
        config.set(InspectionJobOptions.STATE_BACKEND, StateBackendKind.HASHMAP);
        config.set(InspectionJobOptions.CHECKPOINT_INTERVAL, settings.checkpointInterval());
        config.set(
                InspectionJobOptions.CHECKPOINT_DIR,
                work.resolve("checkpoints").toUri().toString());
        // Failures are the point: restart after each, for as long as the soak runs.
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        config.addAll(Configuration.fromMap(settings.jobSettings()));
        return config;
    }

    private void registerShots(KafkaClientSettings kafka, LocalJob job, List<SoakLine> lines)
            throws Exception {
        List<ControlCommand> commands = new ArrayList<>();
        for (SoakLine line : lines) {
            List<FrameImage> shots = new ArrayList<>();
            for (byte[] png : line.shots()) {
                shots.add(ImageFiles.frameImage(ImageEncoding.PNG, line.size(), line.size(), png));
            }
            commands.add(
                    ControlClient.command(
                            line.lineId(),
                            SetShots.newBuilder().setImages(shots).setCategory(null).build(),
                            "inctrl-soak"));
        }
        long started = System.nanoTime();
        try (ControlClient control = new ControlClient(kafka, topics)) {
            Map<String, ControlEvent> events =
                    control.execute(commands, SHOTS_TIMEOUT, job::requireAlive);
            for (ControlEvent event : events.values()) {
                if (event.getOutcome() != ControlOutcome.APPLIED) {
                    throw new IllegalStateException(
                            event.getLineId() + ": set-shots not applied: " + event.getReason());
                }
            }
        }
        print(
                "Shots applied: %d lines in %.1f s",
                lines.size(), (System.nanoTime() - started) / 1e9);
    }

    private SoakReport soak(
            KafkaClientSettings kafka,
            LocalJob job,
            List<SoakLine> lines,
            JvmMemory memory,
            String modelId)
            throws Exception {
        ScoreTally tally = new ScoreTally();
        FlinkRest rest = new FlinkRest(job.dashboardUrl());
        List<SoakSample> samples = new ArrayList<>();
        FlinkRest.JobFigures[] figures = {FlinkRest.JobFigures.NONE};
        String jobFailure = null;
        try (ScoreReader reader = new ScoreReader(kafka, topics, tally);
                SoakCameras cameras =
                        new SoakCameras(
                                lines,
                                settings.fps(),
                                new KafkaProducer<>(kafka.producer("inctrl-soak-cameras")),
                                topics.frames(),
                                tally)) {
            reader.start();
            long start = System.nanoTime();
            cameras.start();
            print("Cameras started; a row every %s", settings.reportEvery());
            long end = start + settings.duration().toNanos();
            long nextReport = start + settings.reportEvery().toNanos();
            long nextFailure =
                    settings.failEvery() == null
                            ? Long.MAX_VALUE
                            : start + settings.failEvery().toNanos();
            while (jobFailure == null) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                long wake = Math.min(end, Math.min(nextReport, nextFailure));
                TimeUnit.NANOSECONDS.sleep(Math.max(0, wake - now));
                now = System.nanoTime();
                if (now >= nextFailure && now < end) {
                    // One failure at a time: while the last one has not happened (the job is
                    // restarting, or backpressured), arming again would merge the two.
                    FailureInjection.armUnlessArmed();
                    nextFailure += settings.failEvery().toNanos();
                }
                if (now >= nextReport) {
                    sample(samples, start, tally, rest, figures, memory);
                    nextReport += settings.reportEvery().toNanos();
                }
                jobFailure = jobFailure(job);
            }
            cameras.close();
            print("Cameras stopped; waiting up to %s for the last scores", settings.drainTimeout());
            long drainEnd = System.nanoTime() + settings.drainTimeout().toNanos();
            while (jobFailure == null
                    && tally.counts().missing() > 0
                    && System.nanoTime() < drainEnd) {
                TimeUnit.MILLISECONDS.sleep(200);
                jobFailure = jobFailure(job);
            }
            sample(samples, start, tally, rest, figures, memory);
            if (reader.deadLetters() > 0) {
                print("%d dead letters (none expected)", reader.deadLetters());
            }
        }
        SoakReport report =
                SoakReport.of(
                        settings,
                        modelId,
                        samples,
                        tally.counts(),
                        figures[0],
                        FailureInjection.restarts(),
                        FailureInjection.injected(),
                        jobFailure);
        report.text().forEach(out::println);
        out.flush();
        if (settings.jsonFile() != null) {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(settings.jsonFile().toFile(), report);
            print("Report: %s", settings.jsonFile());
        }
        return report;
    }

    private void sample(
            List<SoakSample> samples,
            long start,
            ScoreTally tally,
            FlinkRest rest,
            FlinkRest.JobFigures[] figures,
            JvmMemory memory)
            throws InterruptedException {
        try {
            figures[0] = rest.figures();
        } catch (IOException e) {
            // Mid-restart the REST API may not answer: keep the last figures for this row.
            LOG.warn("cannot read the job's figures from the REST API", e);
        }
        SoakSample sample =
                SoakSample.of(
                        (System.nanoTime() - start) / 1e9,
                        tally.counts(),
                        figures[0],
                        FailureInjection.restarts(),
                        FailureInjection.injected(),
                        memory.usage(),
                        samples.isEmpty() ? null : samples.get(samples.size() - 1));
        samples.add(sample);
        out.println(sample.text());
        out.flush();
    }

    /** Why the job ended, or null while it runs. */
    private static String jobFailure(LocalJob job) {
        try {
            job.requireAlive();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private void print(String format, Object... args) {
        out.println(String.format(java.util.Locale.ROOT, format, args));
        out.flush();
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete the soak's folder {}", folder, e);
        }
    }
}
