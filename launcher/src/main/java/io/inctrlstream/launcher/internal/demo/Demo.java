package io.inctrlstream.launcher.internal.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.StateBackendKind;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.job.kafka.StartingOffsets;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.launcher.internal.Durations;
import io.inctrlstream.launcher.internal.ImageFiles;
import io.inctrlstream.launcher.internal.JobHealth;
import io.inctrlstream.launcher.internal.LocalJob;
import io.inctrlstream.launcher.internal.OfflineScorer;
import io.inctrlstream.launcher.internal.kafka.ControlClient;
import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import io.inctrlstream.launcher.internal.topics.LocalTopics;
import io.inctrlstream.schema.AlertPolicy;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.SetAlertPolicy;
import io.inctrlstream.schema.SetShots;
import io.inctrlstream.schema.SetThreshold;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole demo in one JVM: an embedded Kafka broker, the inspection job on a local Flink
 * MiniCluster with its dashboard, simulated cameras for several lines, their shots, thresholds and
 * alert policies registered through the control topic, and a live view of the job's outputs until
 * the duration ends or {@link #stop()} is called (Ctrl-C). Everything is closed at the end, the
 * broker's temporary folder deleted; the heatmaps folder stays.
 */
public final class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    private static final int STEPS = 6;
    private static final int CALIBRATION_FRAMES = 8;
    private static final int PARTITIONS = 2;
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final DemoSettings settings;
    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final InspectionTopics topics = InspectionTopics.withPrefix("");

    public Demo(DemoSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Asks a running demo to stop (from a shutdown hook or another thread). */
    public void stop() {
        stopRequested.countDown();
    }

    /** Waits until {@link #run()} has closed everything. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the demo until its duration ends or it is stopped.
     *
     * @throws Exception if a start-up step fails or the job fails; everything started is closed
     */
    public DemoSummary run() throws Exception {
        try {
            return runAndClose();
        } finally {
            finished.countDown();
        }
    }

    private DemoSummary runAndClose() throws Exception {
        Path heatmaps = heatmapsFolder();
        List<DemoLine> lines = new ArrayList<>();
        Map<String, String> products = new LinkedHashMap<>();
        for (int i = 0; i < settings.lines(); i++) {
            DemoLine line = DemoLine.create(i, settings.seed());
            lines.add(line);
            products.put(line.lineId(), line.category());
        }
        DemoBoard board = new DemoBoard(products);
        StartupProgress progress = new StartupProgress(out, settings.ansi(), STEPS);
        out.println(
                "InCTRL-Stream demo: " + lines.size() + " lines at " + fps() + " frames/s each");
        out.println(
                "  logs: "
                        + System.getProperty(
                                "inctrl.log.file",
                                Path.of(System.getProperty("java.io.tmpdir"), "inctrl.log")
                                        .toString()));
        out.println("  alert heatmaps: " + heatmaps);
        out.flush();
        String modelId;
        String device;
        EmbeddedKafkaBroker broker;
        LocalJob job;
        try {
            broker =
                    EmbeddedKafkaBroker.builder()
                            .brokerProperty("message.max.bytes", Integer.toString(32 << 20))
                            .build();
            resources.push(broker);
            progress.step(
                    "Starting the Kafka broker (KRaft, in-process)",
                    () -> {
                        broker.start();
                        return broker.bootstrapServers();
                    });
            if (stopping()) {
                return summary(board, heatmaps, "-", "-", "-", 0, 0, null, Optional.empty());
            }
            progress.step(
                    "Creating topics",
                    () -> {
                        LocalTopics.create(
                                broker, topics, new Configuration(), settings.bundle(), PARTITIONS);
                        return String.join(", ", topics.all());
                    });
            KafkaClientSettings kafka =
                    new KafkaClientSettings(broker.bootstrapServers(), Map.of());

            Map<String, Double> thresholds = new LinkedHashMap<>();
            String[] model = new String[2];
            progress.step(
                    settings.threshold() == null
                            ? "Loading the model and calibrating thresholds on good parts"
                            : "Loading the model",
                    () -> calibrate(lines, thresholds, model));
            modelId = model[0];
            device = model[1];
            thresholds.forEach((line, value) -> board.line(line).threshold(value));
            if (stopping()) {
                return summary(board, heatmaps, modelId, device, "-", 0, 0, null, Optional.empty());
            }

            // Checkpoints on disk, in a folder of the run deleted at the end (after the job).
            Path checkpoints = Files.createTempDirectory("inctrl-demo-checkpoints-");
            resources.push(() -> FileUtils.deleteDirectory(checkpoints.toFile()));
            LocalJob[] started = new LocalJob[1];
            progress.step(
                    "Starting Flink (local MiniCluster) and the inspection job",
                    () -> {
                        started[0] =
                                LocalJob.start(
                                        jobConfiguration(broker.bootstrapServers(), checkpoints),
                                        settings.dashboardPort(),
                                        settings.parallelism());
                        resources.push(started[0]);
                        started[0].awaitRunning(STARTUP_TIMEOUT);
                        return "dashboard "
                                + started[0].dashboardUrl()
                                + "; checkpoints in "
                                + checkpoints
                                + " (deleted at the end)";
                    });
            job = started[0];
            if (stopping()) {
                return summary(
                        board,
                        heatmaps,
                        modelId,
                        device,
                        job.dashboardUrl(),
                        0,
                        0,
                        job,
                        Optional.empty());
            }

            ControlClient control = new ControlClient(kafka, topics);
            resources.push(control);
            progress.step(
                    "Registering shots, thresholds and alert policies (control topic)",
                    () -> register(control, job, lines, thresholds));
            if (stopping()) {
                return summary(
                        board,
                        heatmaps,
                        modelId,
                        device,
                        job.dashboardUrl(),
                        0,
                        0,
                        job,
                        Optional.empty());
            }

            KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(kafka.producer("inctrl-demo-cameras"));
            resources.push(producer);
            OutputsReader reader =
                    new OutputsReader(kafka, topics, board, heatmaps, this::printAlert);
            resources.push(reader);
            CameraSimulator cameras =
                    new CameraSimulator(
                            lines,
                            settings.fps(),
                            settings.defectRate(),
                            settings.seed(),
                            producer,
                            topics.frames(),
                            board,
                            settings.maxUnanswered());
            resources.push(cameras);
            progress.step(
                    "Starting the cameras",
                    () -> {
                        reader.start();
                        cameras.start();
                        return lines.size()
                                + " lines at "
                                + fps()
                                + " frames/s, defect rate "
                                + settings.defectRate();
                    });
            long camerasStarted = System.nanoTime();
            LiveView.Header header =
                    new LiveView.Header(
                            modelId,
                            device,
                            Duration.ZERO,
                            job.dashboardUrl(),
                            broker.bootstrapServers(),
                            heatmaps);
            Optional<String> jobFailure = watch(job, board, header, camerasStarted);
            long runNanos = System.nanoTime() - camerasStarted;
            cameras.close();
            if (!stopping() && jobFailure.isEmpty()) {
                drain(board);
            }
            DemoSummary summary =
                    summary(
                            board,
                            heatmaps,
                            modelId,
                            device,
                            job.dashboardUrl(),
                            reader.heatmapsWritten(),
                            runNanos / 1e9,
                            job,
                            jobFailure);
            if (settings.ansi()) {
                out.print(
                        LiveView.HOME_AND_CLEAR
                                + LiveView.screen(
                                        withUptime(header, runNanos),
                                        board.snapshot(System.nanoTime())));
            }
            return summary;
        } finally {
            out.println("Stopping: cameras, job, Flink, Kafka ...");
            out.flush();
            closeAll();
        }
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private String fps() {
        return String.format(Locale.ROOT, "%s", settings.fps()).replaceAll("\\.0$", "");
    }

    private Path heatmapsFolder() throws java.io.IOException {
        if (settings.heatmaps() != null) {
            return Files.createDirectories(settings.heatmaps()).toAbsolutePath();
        }
        return Files.createTempDirectory("inctrl-demo-heatmaps-").toAbsolutePath();
    }

    private String calibrate(List<DemoLine> lines, Map<String, Double> thresholds, String[] model)
            throws Exception {
        try (OfflineScorer scorer = OfflineScorer.open(settings.bundle(), settings.device())) {
            model[0] = scorer.modelId();
            model[1] = scorer.device().name();
            for (DemoLine line : lines) {
                double threshold =
                        settings.threshold() != null
                                ? settings.threshold()
                                : ThresholdCalibration.threshold(
                                        scorer,
                                        line.shots(settings.shotsPerLine()),
                                        line.calibrationFrames(CALIBRATION_FRAMES),
                                        line.category());
                thresholds.put(line.lineId(), threshold);
            }
        }
        StringBuilder detail = new StringBuilder(model[0] + " on " + model[1] + "; thresholds");
        thresholds.forEach(
                (line, value) ->
                        detail.append(String.format(Locale.ROOT, " %s %.3f", line, value)));
        return detail.toString();
    }

    private Configuration jobConfiguration(String bootstrapServers, Path checkpoints) {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        topics.applyTo(config);
        config.set(InspectionJobOptions.GROUP_ID, "inctrl-demo");
        // The demo's broker is new on every run: score every frame its cameras send.
        config.set(
                InspectionJobOptions.FRAMES_STARTING_OFFSETS,
                StartingOffsets.COMMITTED_OR_EARLIEST);
        config.set(InspectionJobOptions.MODEL_BUNDLE, settings.bundle().toString());
        config.set(InspectionJobOptions.DEVICE, settings.device());
        config.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(10));
        config.set(InspectionJobOptions.CHECKPOINT_DIR, checkpoints.toUri().toString());
        config.set(InspectionJobOptions.CHECKPOINT_RETAIN_ON_CANCEL, false);
        config.set(InspectionJobOptions.STATE_BACKEND, StateBackendKind.HASHMAP);
        config.set(InspectionJobOptions.ALERT_MIN_ANOMALOUS, 1);
        config.set(InspectionJobOptions.ALERT_WINDOW, 1);
        config.set(InspectionJobOptions.ALERT_COOLDOWN, settings.alertCooldown());
        // A demo should fail visibly, not restart forever.
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        return config;
    }

    private String register(
            ControlClient control,
            LocalJob job,
            List<DemoLine> lines,
            Map<String, Double> thresholds)
            throws Exception {
        List<ControlCommand> commands = new ArrayList<>();
        AlertPolicy policy =
                AlertPolicy.newBuilder()
                        .setMinAnomalous(1)
                        .setWindow(1)
                        .setCooldownMillis(settings.alertCooldown().toMillis())
                        .build();
        for (DemoLine line : lines) {
            List<FrameImage> shots = new ArrayList<>();
            int size = line.camera().size();
            for (byte[] png : line.shots(settings.shotsPerLine())) {
                shots.add(ImageFiles.frameImage(ImageEncoding.PNG, size, size, png));
            }
            commands.add(
                    ControlClient.command(
                            line.lineId(),
                            SetShots.newBuilder()
                                    .setImages(shots)
                                    .setCategory(line.category())
                                    .build(),
                            "inctrl-demo"));
            commands.add(
                    ControlClient.command(
                            line.lineId(),
                            SetThreshold.newBuilder()
                                    .setThreshold(thresholds.get(line.lineId()))
                                    .build(),
                            "inctrl-demo"));
            commands.add(
                    ControlClient.command(
                            line.lineId(),
                            SetAlertPolicy.newBuilder().setPolicy(policy).build(),
                            "inctrl-demo"));
        }
        Map<String, ControlEvent> events =
                control.execute(commands, STARTUP_TIMEOUT, job::requireAlive);
        int shots = 0;
        for (ControlEvent event : events.values()) {
            if (event.getOutcome() != ControlOutcome.APPLIED) {
                throw new IllegalStateException(
                        event.getLineId()
                                + ": "
                                + event.getActionType()
                                + " rejected: "
                                + event.getReason());
            }
            shots = Math.max(shots, event.getShotCount());
        }
        return events.size()
                + " commands applied ("
                + shots
                + " shots per line, alert on 1 of 1 anomalous frame, cooldown "
                + Durations.format(settings.alertCooldown())
                + ")";
    }

    /** Shows the live view until the duration ends or a stop; returns the job's failure, if any. */
    private Optional<String> watch(
            LocalJob job, DemoBoard board, LiveView.Header header, long started) throws Exception {
        long period = settings.ansi() ? 1_000 : 5_000;
        if (settings.ansi()) {
            out.print("\u001b[2J");
        }
        JobHealth reported = JobHealth.unknown();
        while (true) {
            long elapsed = System.nanoTime() - started;
            long wait = period;
            if (settings.duration() != null) {
                long left = settings.duration().toNanos() - elapsed;
                if (left <= 0) {
                    return Optional.empty();
                }
                wait = Math.min(period, TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
            if (stopRequested.await(wait, TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            try {
                job.requireAlive();
            } catch (IllegalStateException e) {
                out.println("The inspection job ended: " + e.getMessage());
                return Optional.of(e.getMessage());
            }
            JobHealth health = job.health();
            long now = System.nanoTime();
            LiveView.Header current = withUptime(header, now - started);
            DemoBoard.Snapshot snapshot = board.snapshot(now);
            if (settings.ansi()) {
                out.print(LiveView.HOME_AND_CLEAR + LiveView.screen(current, snapshot));
                out.println(health.summaryLine());
            } else {
                for (String line : LiveView.plain(current, snapshot)) {
                    out.println(line);
                }
                if (health.restarts() != reported.restarts()
                        || health.checkpointsFailed() != reported.checkpointsFailed()) {
                    out.println("JOB " + health.summaryLine());
                }
            }
            reported = health;
            out.flush();
        }
    }

    private void printAlert(AlertNote note) {
        if (!settings.ansi()) {
            out.println("ALERT " + LiveView.alertText(note, false));
            out.flush();
        }
    }

    /** After the cameras stop: waits a little for the frames in flight to be scored. */
    private void drain(DemoBoard board) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && !stopping()) {
            boolean done = true;
            for (LineSnapshot line : board.snapshot(System.nanoTime()).lines()) {
                done &= line.unscored() == 0;
            }
            if (done) {
                return;
            }
            stopRequested.await(100, TimeUnit.MILLISECONDS);
        }
    }

    private DemoSummary summary(
            DemoBoard board,
            Path heatmaps,
            String modelId,
            String device,
            String dashboard,
            long heatmapsWritten,
            double seconds,
            LocalJob job,
            Optional<String> jobFailure) {
        DemoBoard.Snapshot snapshot = board.snapshot(System.nanoTime());
        FrameAccounting frames =
                FrameAccounting.of(snapshot.lines(), (long) Math.floor(seconds * settings.fps()));
        JobHealth health = job == null ? JobHealth.unknown() : job.health();
        return new DemoSummary(
                modelId,
                device,
                dashboard,
                heatmaps.toString(),
                heatmapsWritten,
                snapshot.deadLetterCount(),
                seconds,
                snapshot.lines(),
                frames,
                health,
                DemoVerdict.problems(frames, health, jobFailure),
                DemoVerdict.notes(frames, health));
    }

    /** Prints the summary, and writes it as JSON if asked to. */
    public void report(DemoSummary summary) throws java.io.IOException {
        for (String line : summaryText(summary)) {
            out.println(line);
        }
        if (settings.summaryFile() != null) {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(settings.summaryFile().toFile(), summary);
            out.println("Summary: " + settings.summaryFile());
        }
        out.flush();
    }

    /** The summary's lines: the verdict, where every frame went, the job's health, the notes. */
    static List<String> summaryText(DemoSummary summary) {
        long anomalous = 0;
        long anomalousOnDefects = 0;
        long alerts = 0;
        long alertsOnDefects = 0;
        long defects = 0;
        for (LineSnapshot line : summary.lines()) {
            anomalous += line.anomalous();
            anomalousOnDefects += line.anomalousOnDefects();
            alerts += line.alerts();
            alertsOnDefects += line.alertsOnDefects();
            defects += line.defectsInjected();
        }
        FrameAccounting frames = summary.frames();
        List<String> text = new ArrayList<>();
        String after = LiveView.clock(Duration.ofMillis(Math.round(summary.seconds() * 1000)));
        text.add(
                (summary.complete() ? "Demo done after " : "Demo INCOMPLETE after ")
                        + after
                        + ": "
                        + summary.lines().size()
                        + " lines"
                        + (summary.complete()
                                ? "."
                                : ": " + String.join("; ", summary.problems())));
        text.add(
                String.format(
                        Locale.ROOT,
                        "Frames: %d sent = %d scored + %d no reference + %d failed + %d dead"
                                + " letters + %d unscored; %d dropped at the camera (job behind);"
                                + " %d not produced in time (camera late).",
                        frames.sent(),
                        frames.scored(),
                        frames.noReference(),
                        frames.failed(),
                        frames.deadLetters(),
                        frames.unscored(),
                        frames.droppedAtCamera(),
                        frames.cameraLate()));
        text.add(
                String.format(
                        Locale.ROOT,
                        "Defects: %d injected; %d anomalous (%d on defects); %d alerts (%d on"
                                + " defects); %d dead letters in all.",
                        defects,
                        anomalous,
                        anomalousOnDefects,
                        alerts,
                        alertsOnDefects,
                        summary.deadLetters()));
        text.add("Job: " + summary.job().summaryLine() + ".");
        for (String note : summary.notes()) {
            text.add("Note: " + note + ".");
        }
        text.add(
                "Alert heatmaps: "
                        + summary.heatmaps()
                        + " ("
                        + summary.heatmapsWritten()
                        + " PNG files)");
        return text;
    }

    private static LiveView.Header withUptime(LiveView.Header header, long nanos) {
        return new LiveView.Header(
                header.modelId(),
                header.device(),
                Duration.ofNanos(nanos),
                header.dashboardUrl(),
                header.kafka(),
                header.heatmaps());
    }

    private void closeAll() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }
}
