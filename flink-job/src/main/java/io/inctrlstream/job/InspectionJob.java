package io.inctrlstream.job;

import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.job.inference.LineInference;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.inference.LineOutput;
import io.inctrlstream.job.internal.AlertFunction;
import io.inctrlstream.job.internal.InputDecoder;
import io.inctrlstream.job.internal.LineOutputKeySelector;
import io.inctrlstream.job.internal.OutputEncoder;
import io.inctrlstream.job.io.InspectionSinks;
import io.inctrlstream.job.io.InspectionSources;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.OutputTopic;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.job.kafka.KafkaInspectionSinks;
import io.inctrlstream.job.kafka.KafkaInspectionSources;
import io.inctrlstream.job.kafka.KafkaLatency;
import io.inctrlstream.job.kafka.KafkaSettings;
import io.inctrlstream.job.kafka.KafkaStartupCheck;
import io.inctrlstream.model.ModelException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The inspection job: raw frames and commands in, decoded and validated (bad records become dead
 * letters), scored per line by the line inference operator, encoded as scores and control events
 * (and dead letters of frames whose image did not decode), checked against the lines' alert
 * policies, and written out. See docs/inspection-job.md.
 *
 * <p>{@link #build(StreamExecutionEnvironment, ReadableConfig)} wires Kafka and the InCTRL engine
 * from the options; the other {@code build} takes the sources, sinks and model, so that tests run
 * the same topology in memory.
 */
public final class InspectionJob {
    /** The job's name. */
    public static final String NAME = "InCTRL inspection";

    static final String DECODE_UID = "inctrl-decode";
    static final String ENCODE_UID = "inctrl-encode-outputs";
    static final String ALERTS_UID = "inctrl-alerts";

    private InspectionJob() {}

    /**
     * Builds the job on Kafka ({@code inctrl.kafka.*}, {@code inctrl.topics.*}, {@code
     * inctrl.sink.*}) and the model bundle ({@code inctrl.model.*}).
     *
     * @throws IllegalArgumentException if a setting is missing or out of range
     * @throws ModelException if the model bundle's manifest cannot be read
     */
    public static void build(StreamExecutionEnvironment env, ReadableConfig config)
            throws ModelException {
        KafkaSettings kafka = KafkaSettings.from(config);
        KafkaLatency latency = KafkaLatency.from(config);
        build(
                env,
                config,
                new KafkaInspectionSources(kafka, latency),
                new KafkaInspectionSinks(kafka, latency),
                InspectionModel.engine(EngineBackendSettings.from(config)));
    }

    /**
     * Builds the job's topology with the given sources, sinks and model, and configures the
     * environment's checkpointing and state backend from {@code config}.
     *
     * @throws IllegalArgumentException if a setting is out of range
     */
    public static void build(
            StreamExecutionEnvironment env,
            ReadableConfig config,
            InspectionSources sources,
            InspectionSinks sinks,
            InspectionModel model) {
        InspectionSettings settings = InspectionSettings.from(config);
        configureEnvironment(env, settings);
        env.setBufferTimeout(bufferTimeoutMillis(config));

        DataStream<RawRecord> raw = sources.inputs(env);
        // Same parallelism as the source, so that the stage is chained to it and keeps the
        // order of each source partition (and so of each line) up to the keyBy.
        SingleOutputStreamOperator<LineInput> inputs =
                raw.process(
                                new InputDecoder(
                                        settings.inputLimits(),
                                        CommandSignatureSettings.from(config)),
                                LineInference.inputType())
                        .name("decode and validate")
                        .uid(DECODE_UID)
                        .setParallelism(raw.getParallelism());
        SingleOutputStreamOperator<LineOutput> outputs =
                LineInference.score(inputs, settings.operatorConfig(), model.backendFactory());
        SingleOutputStreamOperator<OutboundRecord> scores =
                outputs.process(new OutputEncoder(model.modelId()), outboundType())
                        .name("encode scores and control events")
                        .uid(ENCODE_UID);
        // The operator's outputs are already partitioned by line: no shuffle before the
        // keyed alert stage, which is chained to it.
        SingleOutputStreamOperator<OutboundRecord> alerts =
                DataStreamUtils.reinterpretAsKeyedStream(
                                outputs, new LineOutputKeySelector(), Types.STRING)
                        .process(
                                new AlertFunction(
                                        settings.defaultAlertPolicy(),
                                        settings.operatorConfig().maxLinesWithMetrics()),
                                outboundType())
                        .name("alerts")
                        .uid(ALERTS_UID);

        sinks.write(OutputTopic.SCORES, scores);
        sinks.write(OutputTopic.CONTROL_EVENTS, scores.getSideOutput(OutputEncoder.CONTROL_EVENTS));
        sinks.write(OutputTopic.ALERTS, alerts);
        // Refused records, and frames whose image did not decode (which also have a FAILED score).
        sinks.write(
                OutputTopic.DEAD_LETTERS,
                inputs.getSideOutput(InputDecoder.DEAD_LETTERS)
                        .union(scores.getSideOutput(OutputEncoder.DEAD_LETTERS)));
    }

    /**
     * Sets the state backend, the maximum parallelism and checkpointing on the environment.
     * Checkpoints go to the filesystem storage in the configured directory (never to the
     * JobManager's memory, which holds at most a few megabytes).
     */
    private static void configureEnvironment(
            StreamExecutionEnvironment env, InspectionSettings settings) {
        Configuration flink = new Configuration();
        flink.set(StateBackendOptions.STATE_BACKEND, settings.stateBackend().flinkName());
        if (settings.stateBackend() == StateBackendKind.ROCKSDB) {
            flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        CheckpointSettings checkpoints = settings.checkpoints();
        checkpoints
                .directory()
                .ifPresent(
                        directory -> {
                            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
                            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory);
                        });
        if (checkpoints.enabled()) {
            flink.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    checkpoints.retainOnCancel()
                            ? ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION
                            : ExternalizedCheckpointRetention.DELETE_ON_CANCELLATION);
            flink.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, checkpoints.timeout());
            flink.set(
                    CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, checkpoints.tolerableFailures());
            flink.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, checkpoints.minPause());
            flink.set(CheckpointingOptions.ENABLE_UNALIGNED, checkpoints.unaligned());
        }
        env.configure(flink);
        env.setMaxParallelism(settings.maxParallelism());
        if (checkpoints.enabled()) {
            env.enableCheckpointing(checkpoints.interval().toMillis());
        }
    }

    /**
     * {@code inctrl.network.buffer-timeout} in milliseconds.
     *
     * @throws IllegalArgumentException if it is negative
     */
    static long bufferTimeoutMillis(ReadableConfig config) {
        java.time.Duration timeout = config.get(InspectionJobOptions.BUFFER_TIMEOUT);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(
                    InspectionJobOptions.BUFFER_TIMEOUT.key()
                            + " must be >= 0 (0: send after every record), found "
                            + timeout);
        }
        return timeout.toMillis();
    }

    private static TypeInformation<OutboundRecord> outboundType() {
        return TypeInformation.of(OutboundRecord.class);
    }

    /**
     * Runs the job. Settings come from the Flink configuration and from {@code --key value}
     * arguments (e.g. {@code --inctrl.model.bundle /models/inctrl}); {@code --local-web-ui} runs it
     * in this JVM with Flink's web dashboard. Kafka is checked first ({@link KafkaStartupCheck}):
     * unreachable brokers, refused credentials or missing topics fail here, with one line saying
     * which, instead of a job that restarts over and over.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> arguments = new HashMap<>();
        boolean localWebUi = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--local-web-ui")) {
                localWebUi = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                arguments.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(
                        "expected --key value pairs or --local-web-ui, found \"" + args[i] + "\"");
            }
        }
        Configuration config = Configuration.fromMap(arguments);
        StreamExecutionEnvironment env =
                localWebUi
                        ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(config)
                        : StreamExecutionEnvironment.getExecutionEnvironment(config);
        Configuration merged = Configuration.fromMap(env.getConfiguration().toMap());
        merged.addAll(config);
        KafkaStartupCheck.checkJob(merged);
        build(env, merged);
        env.execute(NAME);
    }
}
