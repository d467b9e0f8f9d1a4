package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.launcher.images.Defect;
import io.inctrlstream.launcher.images.internal.SeedMixer;
import io.inctrlstream.launcher.internal.ImageFiles;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.ImageEncoding;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated cameras: each line sends a frame at a fixed rate to the frames topic, replayed from its
 * {@link FramePool}. Whether a frame has a defect, and which, comes from a random generator seeded
 * per line, so that a demo with the same seed injects the same defects into the same frames.
 *
 * <p>Backpressure: when more than {@code maxUnanswered} of a line's frames are sent but not yet
 * answered, its camera skips the frame (counted as dropped at the camera: the job is behind), the
 * way a station sheds frames rather than queue without bound.
 */
final class CameraSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraSimulator.class);

    private final List<DemoLine> lines;
    private final double fps;
    private final double defectRate;
    private final long seed;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final DemoBoard board;
    private final int maxUnanswered;
    private final AvroCodec<Frame> frames = AvroCodec.frames();
    private final ScheduledExecutorService executor;

    CameraSimulator(
            List<DemoLine> lines,
            double fps,
            double defectRate,
            long seed,
            Producer<byte[], byte[]> producer,
            String topic,
            DemoBoard board,
            int maxUnanswered) {
        this.lines = List.copyOf(lines);
        this.fps = fps;
        this.defectRate = defectRate;
        this.seed = seed;
        this.producer = producer;
        this.topic = topic;
        this.board = board;
        this.maxUnanswered = maxUnanswered;
        this.executor =
                Executors.newScheduledThreadPool(
                        Math.min(2, lines.size()),
                        runnable -> {
                            Thread thread = new Thread(runnable, "inctrl-demo-camera");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /** Starts every line's camera, staggered over one frame period. */
    void start() {
        long periodMicros = Math.round(1_000_000 / fps);
        List<Runnable> cameras = new ArrayList<>();
        for (DemoLine line : lines) {
            cameras.add(camera(line));
        }
        for (int i = 0; i < cameras.size(); i++) {
            long offset = periodMicros * i / cameras.size();
            executor.scheduleAtFixedRate(
                    cameras.get(i), offset, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    /** The defect of frame n of a line, as the camera will inject it. */
    static Defect[] defectSequence(long seed, int lineIndex, double defectRate, int frames) {
        Random random = new Random(SeedMixer.mix(seed, lineIndex, 77));
        Defect[] sequence = new Defect[frames];
        for (int n = 0; n < frames; n++) {
            sequence[n] = nextDefect(random, defectRate);
        }
        return sequence;
    }

    private static Defect nextDefect(Random random, double defectRate) {
        boolean defective = random.nextDouble() < defectRate;
        List<Defect> kinds = Defect.anomalies();
        Defect kind = kinds.get(random.nextInt(kinds.size()));
        return defective ? kind : Defect.NONE;
    }

    /** The id of a line's frame {@code n}. */
    static String frameId(long n) {
        return String.format("f-%06d", n);
    }

    /** The number n of a frame id made by {@link #frameId}; -1 for another id. */
    static int frameNumber(String frameId) {
        if (frameId == null || !frameId.startsWith("f-") || frameId.length() > 12) {
            return -1;
        }
        try {
            return Integer.parseInt(frameId.substring(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Runnable camera(DemoLine line) {
        int index = lines.indexOf(line);
        Random random = new Random(SeedMixer.mix(seed, index, 77));
        AtomicLong counter = new AtomicLong();
        return () -> {
            try {
                long n = counter.getAndIncrement();
                Defect defect = nextDefect(random, defectRate);
                LineStats stats = board.line(line.lineId());
                if (stats.unanswered() >= maxUnanswered) {
                    stats.droppedAtCamera();
                    return;
                }
                byte[] png = line.liveFrame(n, defect);
                String frameId = frameId(n);
                int size = line.camera().size();
                Frame frame =
                        Frame.newBuilder()
                                .setLineId(line.lineId())
                                .setCameraId(line.cameraId())
                                .setFrameId(frameId)
                                .setCaptureTime(Instant.now())
                                .setImage(ImageFiles.frameImage(ImageEncoding.PNG, size, size, png))
                                .setAttributes(Map.of("simulated.defect", defect.name()))
                                .build();
                board.frameSent(line.lineId(), frameId, defect);
                producer.send(
                        new ProducerRecord<>(
                                topic, RecordIds.lineKey(line.lineId()), frames.encode(frame)),
                        (metadata, error) -> {
                            if (error != null) {
                                LOG.warn(
                                        "camera of {} could not send {}",
                                        line.lineId(),
                                        frameId,
                                        error);
                            }
                        });
            } catch (RuntimeException e) {
                // A failed tick must not cancel the camera's schedule.
                LOG.warn("camera of {} failed a frame", line.lineId(), e);
            }
        };
    }

    /** Stops the cameras and waits for the frames in flight to be sent. */
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
