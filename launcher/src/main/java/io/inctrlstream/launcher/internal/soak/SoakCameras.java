package io.inctrlstream.launcher.internal.soak;

import io.inctrlstream.launcher.internal.ImageFiles;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak's cameras: every line sends a frame of its pool at a fixed rate, staggered over one
 * period; each frame acknowledged by Kafka is counted as sent in the {@link ScoreTally}.
 */
final class SoakCameras implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SoakCameras.class);

    private final List<SoakLine> lines;
    private final double fps;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final ScoreTally tally;
    private final AvroCodec<Frame> frames = AvroCodec.frames();
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(
                    runnable -> {
                        Thread thread = new Thread(runnable, "inctrl-soak-cameras");
                        thread.setDaemon(true);
                        return thread;
                    });

    SoakCameras(
            List<SoakLine> lines,
            double fps,
            Producer<byte[], byte[]> producer,
            String topic,
            ScoreTally tally) {
        this.lines = List.copyOf(lines);
        this.fps = fps;
        this.producer = producer;
        this.topic = topic;
        this.tally = tally;
    }

    /** Starts every line's camera. */
    void start() {
        long periodMicros = Math.max(1, Math.round(1_000_000 / fps));
        for (int i = 0; i < lines.size(); i++) {
            SoakLine line = lines.get(i);
            AtomicLong next = new AtomicLong();
            executor.scheduleAtFixedRate(
                    () -> send(line, next.getAndIncrement()),
                    periodMicros * i / lines.size(),
                    periodMicros,
                    TimeUnit.MICROSECONDS);
        }
    }

    private void send(SoakLine line, long sequence) {
        try {
            byte[] png = line.framePool().get((int) (sequence % line.framePool().size()));
            Frame frame =
                    Frame.newBuilder()
                            .setLineId(line.lineId())
                            .setCameraId(line.lineId() + "-camera")
                            .setFrameId(SoakLine.frameId(sequence))
                            .setCaptureTime(Instant.now())
                            .setImage(
                                    ImageFiles.frameImage(
                                            ImageEncoding.PNG, line.size(), line.size(), png))
                            .setAttributes(Map.of())
                            .build();
            producer.send(
                    new ProducerRecord<>(
                            topic, RecordIds.lineKey(line.lineId()), frames.encode(frame)),
                    (metadata, error) -> {
                        if (error == null) {
                            tally.sent(line.lineId(), sequence);
                        } else {
                            tally.sendFailed();
                            LOG.warn("{} could not send frame {}", line.lineId(), sequence, error);
                        }
                    });
        } catch (RuntimeException e) {
            // A failed tick must not cancel the camera's schedule.
            tally.sendFailed();
            LOG.warn("{} failed frame {}", line.lineId(), sequence, e);
        }
    }

    /** Stops the cameras and waits until the frames in flight are acknowledged. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
    }
}
