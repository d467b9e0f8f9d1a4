package io.inctrlstream.launcher.internal.bench;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.KafkaBrokerProcess;
import io.inctrlstream.kafka.SingleNodeKafka;
import io.inctrlstream.launcher.internal.ImageFiles;
import io.inctrlstream.launcher.internal.LocalJob;
import io.inctrlstream.launcher.internal.kafka.ControlClient;
import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import io.inctrlstream.launcher.internal.topics.LocalTopics;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.FrameImage;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.SetShots;
import io.inctrlstream.schema.SetThreshold;
import io.inctrlstream.schema.codec.AvroCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The whole job as deployed, measured from its scores topic: a Kafka broker (KRaft, in a JVM of its
 * own unless {@link PipelineBenchSettings#inProcessBroker()}), the job's own Kafka sources and
 * sinks on a local Flink cluster, the lines' shots and thresholds set through the control topic,
 * then three phases:
 *
 * <ol>
 *   <li>warm-up: rounds of about 10 s of frames (at least the saturation phase's count), each
 *       produced at once and all scored, then 5 s of frames paced at half the bare engine's rate
 *       (the latency phase's load), until the JIT compiler has settled ({@link JitSettling}) or
 *       {@code --pipeline-warmup} has passed: a job measured while it is still being compiled
 *       measures the compiler (on two cores, a fifth of the process's CPU after 30 s);
 *   <li>saturation: every frame of the phase produced into the frames topic as fast as the producer
 *       goes (pre-encoded JPEGs, Avro encoded beforehand); {@code pipeline_fps} counts the scores
 *       that arrive after the last frame is in the topic, over the time from then to the last
 *       score, so the job works from a backlog and the producer cannot be the bottleneck;
 *   <li>latency: a producer paced at half of {@code pipeline_fps}, each frame stamped with its
 *       capture time when sent; the latency is capture time to the score read back here.
 * </ol>
 */
final class PipelineBench {
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final int MAX_RECORD_BYTES = 32 << 20;

    /** About how long one warm-up round keeps the job busy, at the bare engine's rate. */
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(10);

    /** How long each warm-up round then paces frames at half the engine's rate. */
    private static final Duration WARMUP_PACED = Duration.ofSeconds(5);

    private final PipelineBenchSettings settings;
    private final BenchFrames frames;
    private final InspectionTopics topics = InspectionTopics.withPrefix("");
    private final AvroCodec<Frame> codec = AvroCodec.frames();
    private final JitSettling jit = JitSettling.ofThisJvm();

    PipelineBench(PipelineBenchSettings settings, BenchFrames frames) {
        this.settings = settings;
        this.frames = frames;
    }

    /** What the pipeline phases measured. */
    record Figures(
            JitSettling.Outcome warmup,
            double saturationJitCores,
            double latencyJitCores,
            double pipelineFps,
            long saturationFrames,
            double producerFps,
            double latencyRateFps,
            long latencyFrames,
            double latencyP50Ms,
            double latencyP99Ms,
            double latencyMaxMs,
            double latencyToScoredP50Ms,
            double latencyToScoredP99Ms) {}

    /**
     * Runs the phases.
     *
     * @param jobConfig the job's settings without Kafka and topics (added here)
     * @param progress told what each phase is about to do
     */
    Figures run(Configuration jobConfig, double engineFps, Consumer<String> progress)
            throws Exception {
        progress.accept("starting the Kafka broker and the job");
        try (SingleNodeKafka broker = startBroker()) {
            LocalTopics.create(
                    broker,
                    topics,
                    jobConfig,
                    settings.bundle(),
                    Math.max(2, settings.parallelism()));
            KafkaClientSettings kafka =
                    new KafkaClientSettings(broker.bootstrapServers(), Map.of());
            Configuration config = new Configuration(jobConfig);
            config.set(
                    io.inctrlstream.job.InspectionJobOptions.BOOTSTRAP_SERVERS,
                    broker.bootstrapServers());
            topics.applyTo(config);
            try (LocalJob job = LocalJob.start(config, 0, settings.parallelism())) {
                job.awaitRunning(STARTUP_TIMEOUT);
                try (ScoresCollector scores = new ScoresCollector(kafka, topics.scores());
                        ControlClient control = new ControlClient(kafka, topics);
                        KafkaProducer<byte[], byte[]> producer =
                                new KafkaProducer<>(kafka.producer("inctrl-bench-frames"))) {
                    register(control, job);
                    long roundFrames =
                            Math.max(
                                    (long) settings.saturationFramesPerLine()
                                            * frames.lines().size(),
                                    Math.round(engineFps * WARMUP_ROUND.toSeconds()));
                    double pacedRate = engineFps / 2;
                    long pacedFrames =
                            Math.max(1, Math.round(pacedRate * WARMUP_PACED.toSeconds()));
                    progress.accept(
                            "warm-up: rounds of "
                                    + roundFrames
                                    + " frames at once and "
                                    + pacedFrames
                                    + " paced at half the engine's rate, until the JIT compiler"
                                    + " settles (at most "
                                    + settings.pipelineWarmup().toSeconds()
                                    + " s)");
                    long[] sent = {0};
                    JitSettling.Outcome warmup =
                            jit.warmUp(
                                    Duration.ZERO,
                                    settings.pipelineWarmup(),
                                    () -> {
                                        warmUpRound(
                                                producer,
                                                scores,
                                                job,
                                                "w-",
                                                roundFrames,
                                                null,
                                                sent);
                                        // Then the latency phase's kind of load: frames paced at
                                        // half the engine's rate, so that the code of a job that
                                        // is not saturated (small batches, idle waits) is compiled
                                        // before it is measured too.
                                        warmUpRound(
                                                producer,
                                                scores,
                                                job,
                                                "wp-",
                                                pacedFrames,
                                                RatePacer.startingNow(pacedRate),
                                                sent);
                                    });
                    progress.accept(
                            String.format(
                                    java.util.Locale.ROOT,
                                    "warm-up: %d frames in %.0f s, the JIT compiler %s (%.2f"
                                            + " cores in the last round)",
                                    sent[0],
                                    warmup.seconds(),
                                    warmup.settled() ? "settled" : "not settled",
                                    warmup.lastRoundCores()));
                    return measure(job, scores, producer, warmup, progress);
                }
            }
        }
    }

    /**
     * Sends {@code count} frames (at once, or each at its turn of {@code pacer}) and waits until
     * all are scored; {@code sent} counts the frames sent so far.
     */
    private void warmUpRound(
            KafkaProducer<byte[], byte[]> producer,
            ScoresCollector scores,
            LocalJob job,
            String prefix,
            long count,
            RatePacer pacer,
            long[] sent)
            throws Exception {
        List<String> round = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            if (pacer != null) {
                pacer.awaitTurn(i);
            }
            long n = sent[0]++;
            round.add(send(producer, prefix + n, n, Instant.now()));
        }
        producer.flush();
        scores.await(round, STARTUP_TIMEOUT.plusSeconds(round.size()), job::requireAlive);
    }

    /** The broker, in this JVM or (by default) in a process of its own. */
    private SingleNodeKafka startBroker() throws IOException {
        String maxRecordBytes = Integer.toString(MAX_RECORD_BYTES);
        if (settings.inProcessBroker()) {
            EmbeddedKafkaBroker broker =
                    EmbeddedKafkaBroker.builder()
                            .brokerProperty("message.max.bytes", maxRecordBytes)
                            .build();
            broker.start();
            return broker;
        }
        KafkaBrokerProcess broker =
                KafkaBrokerProcess.builder()
                        .brokerProperty("message.max.bytes", maxRecordBytes)
                        .build();
        broker.start();
        return broker;
    }

    private Figures measure(
            LocalJob job,
            ScoresCollector scores,
            KafkaProducer<byte[], byte[]> producer,
            JitSettling.Outcome warmup,
            Consumer<String> progress)
            throws Exception {
        int count = settings.saturationFramesPerLine() * frames.lines().size();
        progress.accept("saturation: " + count + " frames into the topic at once");
        List<String> ids = new ArrayList<>(count);
        List<byte[]> records = new ArrayList<>(count);
        Instant captured = Instant.now();
        for (int n = 0; n < count; n++) {
            String id = "s-" + n;
            ids.add(id);
            records.add(encode(id, n, captured));
        }
        JitSettling.Reading saturationStart = jit.now();
        long sendStart = System.nanoTime();
        for (int n = 0; n < count; n++) {
            producer.send(record(n, records.get(n)));
        }
        producer.flush();
        long produced = System.nanoTime();
        records.clear();
        Duration timeout = Duration.ofSeconds(120).plusSeconds(count);
        List<ScoresCollector.Arrival> saturation = scores.await(ids, timeout, job::requireAlive);
        double saturationJitCores = saturationStart.coresUntil(jit.now());
        long last = 0;
        long after = 0;
        for (ScoresCollector.Arrival arrival : saturation) {
            last = Math.max(last, arrival.arrivalNanos());
            if (arrival.arrivalNanos() > produced) {
                after++;
            }
        }
        if (after < count / 2 || last <= produced) {
            throw new IllegalStateException(
                    "the producer was the bottleneck: only "
                            + after
                            + " of "
                            + count
                            + " frames were scored after the last one was produced; raise the"
                            + " frames per line");
        }
        double pipelineFps = after / ((last - produced) / 1e9);
        double producerFps = count / ((produced - sendStart) / 1e9);

        double rate = pipelineFps / 2;
        long latencyCount = Math.max(1, Math.round(rate * settings.latencyDuration().toSeconds()));
        progress.accept(
                String.format(
                        java.util.Locale.ROOT,
                        "latency: %d frames paced at %.1f frames/s (half of %.1f)",
                        latencyCount,
                        rate,
                        pipelineFps));
        List<String> paced = new ArrayList<>();
        JitSettling.Reading latencyStart = jit.now();
        RatePacer pacer = RatePacer.startingNow(rate);
        for (long n = 0; n < latencyCount; n++) {
            pacer.awaitTurn(n);
            paced.add(send(producer, "l-" + n, n, Instant.now()));
        }
        producer.flush();
        List<ScoresCollector.Arrival> latency =
                scores.await(paced, Duration.ofSeconds(120), job::requireAlive);
        double latencyJitCores = latencyStart.coresUntil(jit.now());
        double[] millis = new double[latency.size()];
        double[] toScored = new double[latency.size()];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = latency.get(i).latencyMillis();
            toScored[i] = latency.get(i).toScoredMillis();
        }
        return new Figures(
                warmup,
                saturationJitCores,
                latencyJitCores,
                pipelineFps,
                count,
                producerFps,
                rate,
                latencyCount,
                Percentiles.of(millis, 50),
                Percentiles.of(millis, 99),
                Percentiles.of(millis, 100),
                Percentiles.of(toScored, 50),
                Percentiles.of(toScored, 99));
    }

    private void register(ControlClient control, LocalJob job) throws Exception {
        List<ControlCommand> commands = new ArrayList<>();
        for (BenchFrames.Line line : frames.lines()) {
            List<FrameImage> shots = new ArrayList<>();
            for (byte[] shot : line.shots()) {
                shots.add(image(shot));
            }
            commands.add(
                    ControlClient.command(
                            line.lineId(),
                            SetShots.newBuilder()
                                    .setImages(shots)
                                    .setCategory(line.category())
                                    .build(),
                            "inctrl-bench"));
            commands.add(
                    ControlClient.command(
                            line.lineId(),
                            SetThreshold.newBuilder().setThreshold(EngineBench.THRESHOLD).build(),
                            "inctrl-bench"));
        }
        for (ControlEvent event :
                control.execute(commands, STARTUP_TIMEOUT, job::requireAlive).values()) {
            if (event.getOutcome() != ControlOutcome.APPLIED) {
                throw new IllegalStateException(
                        event.getLineId()
                                + ": "
                                + event.getActionType()
                                + " rejected: "
                                + event.getReason());
            }
        }
    }

    private String send(
            KafkaProducer<byte[], byte[]> producer, String frameId, long n, Instant captured) {
        producer.send(record(n, encode(frameId, n, captured)));
        return frameId;
    }

    private ProducerRecord<byte[], byte[]> record(long n, byte[] value) {
        return new ProducerRecord<>(
                topics.frames(), RecordIds.lineKey(frames.line(n).lineId()), value);
    }

    private byte[] encode(String frameId, long n, Instant captured) {
        BenchFrames.Line line = frames.line(n);
        return codec.encode(
                Frame.newBuilder()
                        .setLineId(line.lineId())
                        .setCameraId("cam-" + line.lineId())
                        .setFrameId(frameId)
                        .setCaptureTime(captured)
                        .setImage(image(line.frame(n / frames.lines().size())))
                        .setAttributes(Map.of())
                        .build());
    }

    private static FrameImage image(byte[] jpeg) {
        return ImageFiles.frameImage(
                ImageEncoding.JPEG, BenchFrames.WIDTH, BenchFrames.HEIGHT, jpeg);
    }
}
