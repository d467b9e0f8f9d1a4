package io.inctrlstream.it;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.InspectionJob;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.InspectionModel;
import io.inctrlstream.job.StateBackendKind;
import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.io.InspectionSources;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.job.io.LineStateStore;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.job.kafka.KafkaInspectionSinks;
import io.inctrlstream.job.kafka.KafkaInspectionSources;
import io.inctrlstream.job.kafka.KafkaSettings;
import io.inctrlstream.job.kafka.StartingOffsets;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;

/**
 * The inspection job as production runs it (its Kafka sources and sinks, the InCTRL engine on the
 * test bundle), submitted to the test's MiniCluster: settings for a quick test, start, checkpoints
 * on demand, what recovery restored, and cancel on close.
 */
final class JobUnderTest implements AutoCloseable {
    /** System property naming the model bundle (set by the pom). */
    static final String BUNDLE_PROPERTY = "inctrl.it.bundle";

    static final int PARALLELISM = 2;

    /**
     * The MiniCluster most end-to-end tests run their job on: one TaskManager with a slot per
     * subtask, for a test class's {@code @RegisterExtension}.
     */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(PARALLELISM)
                        .build());
    }

    private final MiniCluster miniCluster;
    private final JobClient client;

    private JobUnderTest(MiniCluster miniCluster, JobClient client) {
        this.miniCluster = miniCluster;
        this.client = client;
    }

    /**
     * Set (true) where {@link #BUNDLE_PROPERTY} names a bundle that the build generates rather than
     * one committed to the repository.
     */
    static final String GENERATED_BUNDLE_PROPERTY = "inctrl.it.bundle.generated";

    static Builder builder(EmbeddedKafkaBroker broker, InspectionTopics topics) {
        return new Builder(broker, topics);
    }

    /** The model bundle the tests score with. */
    static Path bundle() {
        String configured = System.getProperty(BUNDLE_PROPERTY);
        Path bundle =
                Path.of(configured != null ? configured : "../model-runtime/bundles/inctrl-tiny")
                        .toAbsolutePath()
                        .normalize();
        if (!Files.isRegularFile(bundle.resolve("manifest.json"))
                && Boolean.getBoolean(GENERATED_BUNDLE_PROPERTY)) {
            // A bundle the model-runtime build writes (its Python steps), absent after
            // -DskipPythonTests: the tests that would score with it are skipped, visibly.
            Assumptions.abort(
                    "the generated test bundle "
                            + bundle
                            + " is missing: build model-runtime without -DskipPythonTests");
        }
        if (!Files.isRegularFile(bundle.resolve("manifest.json"))) {
            throw new IllegalStateException(
                    "expected the test model bundle (manifest.json) in "
                            + bundle
                            + "; set -D"
                            + BUNDLE_PROPERTY
                            + "=DIR (the pom's it.bundle property) to use another");
        }
        return bundle;
    }

    JobID jobId() {
        return client.getJobID();
    }

    /** Waits until the job and every one of its tasks run. */
    void awaitRunning() throws Exception {
        Instant deadline = Instant.now().plus(OutputReader.DEADLINE);
        while (true) {
            AccessExecutionGraph graph = graph();
            if (graph.getState() == JobStatus.RUNNING && allTasks(graph, ExecutionState.RUNNING)) {
                return;
            }
            if (graph.getState().isGloballyTerminalState()) {
                throw new AssertionError(
                        "the job ended ("
                                + graph.getState()
                                + ") instead of running: "
                                + graph.getFailureInfo());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "the job's tasks were not all running after "
                                + OutputReader.DEADLINE.toSeconds()
                                + " s, job "
                                + graph.getState());
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling interval of a bounded wait
        }
    }

    /**
     * Takes a checkpoint now and returns its id once it completed. Retries while tasks are still
     * starting (a checkpoint needs all of them running).
     */
    long checkpoint() throws Exception {
        Instant deadline = Instant.now().plus(OutputReader.DEADLINE);
        while (true) {
            awaitRunning();
            try {
                return miniCluster
                        .triggerCheckpoint(jobId(), CheckpointType.FULL)
                        .get(OutputReader.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no checkpoint could be taken", e);
                }
            }
        }
    }

    /**
     * Stops the job with a savepoint in Flink's canonical format under {@code folder} and returns
     * the savepoint's path.
     */
    String stopWithSavepoint(Path folder) throws Exception {
        awaitRunning();
        return client.stopWithSavepoint(
                        false, folder.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(OutputReader.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** The checkpoint the job's last recovery restored, if it recovered. */
    Optional<Long> restoredCheckpoint() throws Exception {
        RestoredCheckpointStats restored =
                graph().getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
        return Optional.ofNullable(restored).map(RestoredCheckpointStats::getCheckpointId);
    }

    /** The checkpoint statistics of the job so far (they outlive its restarts). */
    CheckpointStatsSnapshot checkpointStats() throws Exception {
        return graph().getCheckpointStatsSnapshot();
    }

    /** The highest execution attempt number of any task: 0 until the job restarts. */
    int highestAttempt() throws Exception {
        int highest = 0;
        for (AccessExecutionVertex vertex : graph().getAllExecutionVertices()) {
            highest = Math.max(highest, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return highest;
    }

    /** The job's status now. */
    JobStatus status() throws Exception {
        return graph().getState();
    }

    private AccessExecutionGraph graph() throws Exception {
        return miniCluster.getExecutionGraph(jobId()).get(30, TimeUnit.SECONDS);
    }

    private static boolean allTasks(AccessExecutionGraph graph, ExecutionState state) {
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            if (vertex.getExecutionState() != state) {
                return false;
            }
        }
        return true;
    }

    /** Cancels the job and waits until it ended. */
    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            JobStatus status = client.getJobStatus().get(30, TimeUnit.SECONDS);
            if (!status.isGloballyTerminalState()) {
                client.cancel().get(60, TimeUnit.SECONDS);
            }
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!client.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()
                    && Instant.now().isBefore(deadline)) {
                TimeUnit.MILLISECONDS.sleep(50); // polling interval of a bounded wait
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cancelling the job", e);
        }
    }

    /** The job's settings for a test; {@link #start} submits it. */
    static final class Builder {
        private final EmbeddedKafkaBroker broker;
        private final InspectionTopics topics;
        private final Configuration config = new Configuration();
        private boolean failOnDemand;

        private Builder(EmbeddedKafkaBroker broker, InspectionTopics topics) {
            this.broker = broker;
            this.topics = topics;
            String id = UUID.randomUUID().toString().substring(0, 8);
            config.set(PipelineOptions.GENERIC_TYPES, false);
            config.set(InspectionJobOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            config.set(InspectionJobOptions.GROUP_ID, "it-" + id);
            config.set(InspectionJobOptions.TRANSACTIONAL_ID_PREFIX, "it-" + id);
            // Fresh topics and group per test: read every frame sent, before the job ran too.
            config.set(
                    InspectionJobOptions.FRAMES_STARTING_OFFSETS,
                    StartingOffsets.COMMITTED_OR_EARLIEST);
            topics.applyTo(config);
            config.set(InspectionJobOptions.MODEL_BUNDLE, bundle().toString());
            config.set(InspectionJobOptions.INTRA_OP_THREADS, 1);
            config.set(InspectionJobOptions.BATCH_SIZE, 4);
            config.set(InspectionJobOptions.MAX_BATCH_WAIT, Duration.ofMillis(10));
            config.set(InspectionJobOptions.STATE_BACKEND, StateBackendKind.HASHMAP);
            config.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(500));
            config.set(InspectionJobOptions.CHECKPOINT_DIR, checkpointFolder(id));
            config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
            config.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(200));
        }

        /** A new folder for the job's checkpoints in the module's build folder (target/). */
        private static String checkpointFolder(String id) {
            try {
                Path folder = Files.createDirectories(Path.of("target", "it-checkpoints", id));
                return folder.toAbsolutePath().toUri().toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create the checkpoint folder", e);
            }
        }

        Builder deliveryMode(DeliveryMode mode) {
            config.set(InspectionJobOptions.DELIVERY_GUARANTEE, mode);
            return this;
        }

        Builder stateBackend(StateBackendKind backend) {
            config.set(InspectionJobOptions.STATE_BACKEND, backend);
            return this;
        }

        /**
         * Checkpoints only when the test calls {@link JobUnderTest#checkpoint()}: the periodic ones
         * are an hour apart, and at least an hour after the start.
         */
        Builder checkpointsOnDemand() {
            config.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ofHours(1));
            config.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofHours(1));
            return this;
        }

        /** Starts the job from the savepoint (or retained checkpoint) at {@code path}. */
        Builder fromSavepoint(String path) {
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            return this;
        }

        /** Puts a {@link FailOnDemand} right behind the Kafka source. */
        Builder failOnDemand() {
            this.failOnDemand = true;
            return this;
        }

        <T> Builder set(org.apache.flink.configuration.ConfigOption<T> option, T value) {
            config.set(option, value);
            return this;
        }

        /** Builds the job as production does and submits it to {@code miniCluster}. */
        JobUnderTest start(MiniCluster miniCluster) throws Exception {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(PARALLELISM);
            KafkaSettings kafka = KafkaSettings.from(config);
            KafkaInspectionSources kafkaSources = new KafkaInspectionSources(kafka);
            InspectionSources sources =
                    failOnDemand
                            ? new InspectionSources() {
                                @Override
                                public List<DataStream<RawRecord>> inputs(
                                        StreamExecutionEnvironment environment) {
                                    return kafkaSources.inputs(environment).stream()
                                            .map(Builder::failingOnDemand)
                                            .toList();
                                }

                                @Override
                                public LineStateStore lineStates() {
                                    return kafkaSources.lineStates();
                                }
                            }
                            : kafkaSources;
            InspectionJob.build(
                    env,
                    config,
                    sources,
                    new KafkaInspectionSinks(kafka),
                    InspectionModel.engine(EngineBackendSettings.from(config)));
            JobClient client = env.executeAsync(InspectionJob.NAME);
            return new JobUnderTest(miniCluster, client);
        }

        private static DataStream<RawRecord> failingOnDemand(DataStream<RawRecord> raw) {
            return raw.map(new FailOnDemand())
                    .returns(raw.getType())
                    .setParallelism(raw.getParallelism())
                    .name("fail on demand")
                    .uid("it-fail-on-demand-" + raw.getId());
        }

        String bootstrapServers() {
            return broker.bootstrapServers();
        }

        InspectionTopics topics() {
            return topics;
        }
    }
}
