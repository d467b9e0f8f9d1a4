package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.InspectionJob;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.launcher.internal.FramesBacklog;
import io.inctrlstream.launcher.internal.JobHealth;
import io.inctrlstream.launcher.internal.LocalJob;
import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inctrl run}: the job against an existing Kafka cluster. */
@Command(
        name = "run",
        description = {
            "The inspection job against an existing Kafka cluster.",
            "Runs it in this JVM on a local"
                    + " Flink cluster with its dashboard (--local), submits the job jar to a Flink"
                    + " cluster through its REST API (--jobmanager URL), or prints how to submit"
                    + " the job jar with flink run.",
            "Any job setting (docs/inspection-job.md) can be given with -D, e.g."
                    + " -Dinctrl.inference.batch-size=16."
        },
        mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {
    private static final Duration HEALTH_PERIOD = Duration.ofSeconds(5);

    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Mixin TopicOptions topics;

    @Mixin ModelOptions model;

    @Option(names = "--local", description = "Run in this JVM on a local Flink cluster.")
    boolean local;

    @Mixin ClusterRunOptions cluster;

    @Option(
            names = "--group-id",
            paramLabel = "GROUP",
            description = "Consumer group of the job's sources (default: inctrl-inspection).")
    String groupId;

    @Option(
            names = "--delivery-guarantee",
            paramLabel = "MODE",
            description = "AT_LEAST_ONCE (default) or EXACTLY_ONCE.")
    DeliveryMode deliveryGuarantee;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Checkpoint interval (default: 30s).")
    Duration checkpointInterval;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description =
                    "Durable folder or URI for the checkpoints (file:///..., s3://..., hdfs://...);"
                            + " with --local default: inctrl-run-checkpoints in the temporary"
                            + " folder, kept after the run.")
    String checkpointDir;

    @Option(
            names = "--resume",
            description =
                    "With --local: start from the latest checkpoint retained in the checkpoint"
                            + " folder (a local one), e.g. after Ctrl-C.")
    boolean resume;

    @Option(
            names = "--parallelism",
            paramLabel = "P",
            defaultValue = "1",
            description = "Parallelism with --local or --jobmanager (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--dashboard-port",
            paramLabel = "PORT",
            defaultValue = "8081",
            description = "Dashboard port with --local, 0 for any (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description = "A job or Flink setting, e.g. -Dinctrl.state.backend=HASHMAP.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (parallelism < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--parallelism must be >= 1, found " + parallelism);
        }
        Map<String, String> options = jobOptions();
        PrintWriter out = spec.commandLine().getOut();
        if (local && cluster.given()) {
            throw new ParameterException(
                    spec.commandLine(), "--local and --jobmanager exclude each other: give one");
        }
        if (cluster.given()) {
            return cluster.submit(spec, options, parallelism);
        }
        if (!local) {
            out.println(submitInstructions(options));
            out.flush();
            return ExitCodes.OK;
        }
        if (!options.containsKey(InspectionJobOptions.CHECKPOINT_DIR.key())
                && !options.containsKey(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key())) {
            options.put(
                    InspectionJobOptions.CHECKPOINT_DIR.key(),
                    defaultLocalCheckpoints().toUri().toString());
        }
        if (resume) {
            String folder = Configuration.fromMap(options).get(InspectionJobOptions.CHECKPOINT_DIR);
            Path checkpoints =
                    folder.startsWith("file:")
                            ? Path.of(java.net.URI.create(folder))
                            : Path.of(folder);
            Path latest =
                    latestCheckpoint(checkpoints)
                            .orElseThrow(
                                    () ->
                                            new ParameterException(
                                                    spec.commandLine(),
                                                    "--resume: no retained checkpoint in "
                                                            + checkpoints));
            options.put(StateRecoveryOptions.SAVEPOINT_PATH.key(), latest.toUri().toString());
            out.println("resuming from " + latest);
        }
        LocalJob job = LocalJob.start(Configuration.fromMap(options), dashboardPort, parallelism);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            job.close();
                            reportBacklog(options, out);
                            stopped.countDown();
                        },
                        "inctrl-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(
                "inspection job running on a local Flink cluster; dashboard "
                        + job.dashboardUrl()
                        + "; Kafka "
                        + options.get(InspectionJobOptions.BOOTSTRAP_SERVERS.key())
                        + "; checkpoints in "
                        + Configuration.fromMap(options).get(InspectionJobOptions.CHECKPOINT_DIR)
                        + " (kept). Ctrl-C stops it.");
        out.flush();
        return watch(job, stopped, out);
    }

    /**
     * Waits for the job's end, printing its restarts and failed checkpoints as they happen. Returns
     * OK when it was stopped (Ctrl-C), INCOMPLETE when it failed.
     */
    private static int watch(LocalJob job, CountDownLatch stopped, PrintWriter out)
            throws InterruptedException {
        JobHealth reported = JobHealth.unknown();
        while (true) {
            try {
                job.result().get(HEALTH_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                return ExitCodes.OK;
            } catch (TimeoutException e) {
                JobHealth health = job.health();
                if (health.restarts() != reported.restarts()
                        || health.checkpointsFailed() != reported.checkpointsFailed()) {
                    out.println(
                            health.summaryLine()
                                    + (health.restartsWithoutRestore() > 0
                                            ? "; restarted without a checkpoint to restore"
                                            : "")
                                    + (health.lastFailure().isEmpty()
                                            ? ""
                                            : "; latest failure: " + health.lastFailure()));
                    out.flush();
                }
                reported = health;
            } catch (ExecutionException e) {
                if (stopped.getCount() == 0 || job.cancelled()) {
                    return ExitCodes.OK;
                }
                out.println(
                        "the inspection job failed: "
                                + LocalJob.rootMessage(e)
                                + "; "
                                + job.health().summaryLine());
                out.flush();
                return ExitCodes.INCOMPLETE;
            }
        }
    }

    /**
     * After the job stopped: the frames sent that it has not scored yet (not read as of its latest
     * checkpoint), which a later run or {@code --resume} scores.
     */
    private void reportBacklog(Map<String, String> options, PrintWriter out) {
        Configuration config = Configuration.fromMap(options);
        String topic = config.get(InspectionJobOptions.FRAMES_TOPIC);
        String group = config.get(InspectionJobOptions.GROUP_ID);
        try {
            long unread = FramesBacklog.unread(kafka.settings(spec), topic, group);
            out.println(
                    "stopped; frames not scored yet: "
                            + unread
                            + " in "
                            + topic
                            + " beyond the offsets group "
                            + group
                            + " committed with its latest checkpoint (a run with --resume scores"
                            + " them)");
        } catch (IllegalStateException e) {
            out.println("stopped; frames not scored yet: unknown (" + e.getMessage() + ")");
        }
        out.flush();
    }

    /** The job's options as Flink configuration keys and values. */
    Map<String, String> jobOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        KafkaClientSettings client = kafka.settings(spec);
        options.put(InspectionJobOptions.BOOTSTRAP_SERVERS.key(), client.bootstrapServers());
        client.properties()
                .forEach(
                        (key, value) ->
                                options.put(
                                        InspectionJobOptions.KAFKA_PROPERTIES.key() + "." + key,
                                        value));
        var names = topics.topics();
        options.put(InspectionJobOptions.FRAMES_TOPIC.key(), names.frames());
        options.put(InspectionJobOptions.CONTROL_TOPIC.key(), names.control());
        options.put(InspectionJobOptions.SCORES_TOPIC.key(), names.scores());
        options.put(InspectionJobOptions.ALERTS_TOPIC.key(), names.alerts());
        options.put(InspectionJobOptions.CONTROL_EVENTS_TOPIC.key(), names.controlEvents());
        options.put(InspectionJobOptions.DEAD_LETTERS_TOPIC.key(), names.deadLetters());
        options.put(InspectionJobOptions.LINE_STATE_TOPIC.key(), names.lineState());
        Path bundle = model.bundle();
        options.put(InspectionJobOptions.MODEL_BUNDLE.key(), bundle.toString());
        options.put(InspectionJobOptions.DEVICE.key(), model.device().name());
        if (groupId != null) {
            options.put(InspectionJobOptions.GROUP_ID.key(), groupId);
        }
        if (deliveryGuarantee != null) {
            options.put(InspectionJobOptions.DELIVERY_GUARANTEE.key(), deliveryGuarantee.name());
        }
        if (checkpointDir != null) {
            options.put(InspectionJobOptions.CHECKPOINT_DIR.key(), checkpointDir);
        }
        if (checkpointInterval != null) {
            options.put(
                    InspectionJobOptions.CHECKPOINT_INTERVAL.key(),
                    checkpointInterval.toMillis() + " ms");
        }
        options.putAll(settings);
        return options;
    }

    /** The checkpoint folder of {@code run --local} when none is given: kept between runs. */
    static Path defaultLocalCheckpoints() throws java.io.IOException {
        return Files.createDirectories(
                Path.of(System.getProperty("java.io.tmpdir"), "inctrl-run-checkpoints"));
    }

    /**
     * The most recent complete checkpoint under a checkpoint folder ({@code <job id>/chk-<n>} with
     * its {@code _metadata}), if any.
     */
    static Optional<Path> latestCheckpoint(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(folder, 3, RunCommand::isCheckpointMetadata)) {
            return files.max(
                            Comparator.comparing(
                                    (Path metadata) -> metadata.toFile().lastModified()))
                    .map(Path::getParent);
        }
    }

    private static boolean isCheckpointMetadata(Path file, BasicFileAttributes attributes) {
        return attributes.isRegularFile()
                && file.getFileName().toString().equals("_metadata")
                && file.getParent().getFileName().toString().startsWith("chk-");
    }

    /** How to submit the job to a Flink cluster with these options; secrets masked. */
    static String submitInstructions(Map<String, String> options) {
        List<String> lines = new ArrayList<>();
        lines.add("Submit the inspection job to a Flink 2.2 cluster with:");
        lines.add("");
        lines.add("  flink run -c " + InspectionJob.class.getName() + " " + jarPath() + " \\");
        List<Map.Entry<String, String>> entries = new ArrayList<>(options.entrySet());
        boolean masked = false;
        for (int i = 0; i < entries.size(); i++) {
            String key = entries.get(i).getKey();
            String value = entries.get(i).getValue();
            if (isSecret(key)) {
                value = "'<" + key + ">'";
                masked = true;
            } else {
                value = shellQuote(value);
            }
            lines.add("      --" + key + " " + value + (i < entries.size() - 1 ? " \\" : ""));
        }
        lines.add("");
        lines.add(
                "The model bundle folder must be readable at that path on the client and on every"
                        + " TaskManager.");
        if (!options.containsKey(InspectionJobOptions.CHECKPOINT_DIR.key())
                && !options.containsKey(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key())) {
            lines.add(
                    "The job needs a durable checkpoint folder: "
                            + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
                            + " in the cluster's configuration, or --checkpoint-dir here.");
        }
        if (masked) {
            lines.add("Fill in the masked values (<...>): they look like secrets.");
        }
        lines.add(
                "Or submit it through the cluster's REST API: the same command with --jobmanager"
                        + " URL; or run it here: the same command with --local.");
        return String.join(System.lineSeparator(), lines);
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("jaas")
                || k.contains("token")
                || k.endsWith(".key");
    }

    private static String shellQuote(String value) {
        if (value.matches("[A-Za-z0-9_./:,@=+-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** The job jar: where bin/inctrl builds it in this repository. */
    private static String jarPath() {
        String home = System.getProperty("inctrl.home");
        return home == null
                ? ClusterRunOptions.JOB_JAR
                : Path.of(home).resolve(ClusterRunOptions.JOB_JAR).toString();
    }
}
