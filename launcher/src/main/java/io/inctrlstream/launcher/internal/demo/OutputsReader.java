package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import io.inctrlstream.launcher.internal.kafka.KafkaClients;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the job's scores, alerts and dead letters on its own thread, updates the board and writes
 * each alert's heatmap to {@code <heatmaps>/<line>/<frame>.png}.
 */
final class OutputsReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputsReader.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final InspectionTopics topics;
    private final DemoBoard board;
    private final Path heatmaps;
    private final Consumer<AlertNote> onAlert;
    private final AvroCodec<AnomalyScore> scores = AvroCodec.anomalyScores();
    private final AvroCodec<AnomalyAlert> alerts = AvroCodec.anomalyAlerts();
    private final AvroCodec<DeadLetter> deadLetters = AvroCodec.deadLetters();
    private final AtomicLong heatmapsWritten = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    OutputsReader(
            KafkaClientSettings kafka,
            InspectionTopics topics,
            DemoBoard board,
            Path heatmaps,
            Consumer<AlertNote> onAlert) {
        this.consumer = new KafkaConsumer<>(kafka.consumer("inctrl-demo-view"));
        this.topics = topics;
        this.board = board;
        this.heatmaps = heatmaps;
        this.onAlert = onAlert;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.scores(), topics.alerts(), topics.deadLetters())) {
            partitions.addAll(KafkaClients.partitions(consumer, topic, kafka.bootstrapServers()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "inctrl-demo-outputs");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long heatmapsWritten() {
        return heatmapsWritten.get();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    try {
                        handle(record);
                    } catch (SchemaDecodeException | RuntimeException e) {
                        LOG.warn(
                                "cannot use record {}[{}]@{}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) throws SchemaDecodeException {
        long now = System.nanoTime();
        if (record.topic().equals(topics.scores())) {
            AnomalyScore score = scores.decode(record.value());
            LineStats stats = board.line(score.getLineId());
            if (stats == null || !stats.firstAnswer(score.getFrameId())) {
                return;
            }
            Defect injected = board.injected().get(score.getLineId(), score.getFrameId());
            long latency = System.currentTimeMillis() - score.getCaptureTime().toEpochMilli();
            LineStats.ScoreKind kind = LineStats.ScoreKind.valueOf(score.getStatus().name());
            double value = score.getFinalScore() == null ? Double.NaN : score.getFinalScore();
            stats.scored(kind, value, score.getAnomalous(), injected, latency, now);
            if (score.getThreshold() != null) {
                stats.threshold(score.getThreshold());
            }
        } else if (record.topic().equals(topics.alerts())) {
            AnomalyAlert alert = alerts.decode(record.value());
            Defect injected = board.injected().get(alert.getLineId(), alert.getFrameId());
            Path heatmap = writeHeatmap(alert);
            AlertNote note =
                    new AlertNote(
                            alert.getCaptureTime(),
                            alert.getLineId(),
                            alert.getFrameId(),
                            alert.getFinalScore(),
                            alert.getThreshold(),
                            injected,
                            heatmap);
            board.alert(note);
            onAlert.accept(note);
        } else {
            DeadLetter deadLetter = deadLetters.decode(record.value());
            board.deadLetter(deadLetter.getReasonCode());
            // A frame whose image did not decode (IMAGE_*) has a FAILED score too; any other frame
            // dead letter is the frame's only answer. Frames are keyed by their line id.
            if (deadLetter.getSourceTopic().equals(topics.frames())
                    && !deadLetter.getReasonCode().startsWith("IMAGE_")
                    && deadLetter.getKey() != null) {
                ByteBuffer key = deadLetter.getKey().duplicate();
                byte[] bytes = new byte[key.remaining()];
                key.get(bytes);
                LineStats stats = board.line(new String(bytes, StandardCharsets.UTF_8));
                if (stats != null) {
                    stats.deadLetter();
                }
            }
        }
    }

    private Path writeHeatmap(AnomalyAlert alert) {
        ByteBuffer png = alert.getHeatmapPng();
        if (png == null || !png.hasRemaining()) {
            return null;
        }
        Path file =
                heatmaps.resolve(safe(alert.getLineId()))
                        .resolve(safe(alert.getFrameId()) + ".png");
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[png.remaining()];
            png.duplicate().get(bytes);
            Files.write(file, bytes);
            heatmapsWritten.incrementAndGet();
            return file;
        } catch (IOException e) {
            LOG.warn("cannot write the heatmap {}", file, e);
            return null;
        }
    }

    static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.startsWith(".") ? "_" + cleaned : cleaned;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
