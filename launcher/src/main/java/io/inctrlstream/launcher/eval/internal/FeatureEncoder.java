package io.inctrlstream.launcher.eval.internal;

import io.inctrlstream.launcher.internal.ImageFiles;
import io.inctrlstream.launcher.internal.OfflineScorer;
import io.inctrlstream.model.ImageFeatures;
import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.image.ImageEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Encodes image files with the model: reading, decoding and preprocessing run in parallel on a pool
 * of threads (one per core) while the engine encodes the previous batch, so that the encoder is
 * never waiting for pixels; the engine's batches are of its largest size.
 */
public final class FeatureEncoder implements AutoCloseable {
    private final OfflineScorer scorer;
    private final ExecutorService pool;

    public FeatureEncoder(OfflineScorer scorer) {
        this.scorer = scorer;
        this.pool =
                Executors.newFixedThreadPool(
                        Runtime.getRuntime().availableProcessors(),
                        runnable -> {
                            Thread thread = new Thread(runnable, "inctrl-eval-decode");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * The features of each file; {@code progress} is told of each batch encoded (its size).
     *
     * @throws IllegalArgumentException if a file is not a readable PNG or JPEG, naming it
     */
    public Map<Path, ImageFeatures> encode(List<Path> files, IntConsumer progress)
            throws IOException, ModelException {
        int batch = scorer.maxBatchSize();
        Map<Path, ImageFeatures> features = new HashMap<>();
        List<Future<float[]>> next = submit(files, 0, batch);
        for (int start = 0; start < files.size(); start += batch) {
            List<Future<float[]>> current = next;
            next = submit(files, start + batch, batch);
            List<float[]> tensors = new ArrayList<>(current.size());
            for (Future<float[]> tensor : current) {
                tensors.add(await(tensor));
            }
            List<ImageFeatures> encoded = scorer.encodeTensors(tensors);
            for (int i = 0; i < encoded.size(); i++) {
                features.put(files.get(start + i), encoded.get(i));
            }
            progress.accept(encoded.size());
        }
        return features;
    }

    private List<Future<float[]>> submit(List<Path> files, int start, int batch) {
        List<Future<float[]>> futures = new ArrayList<>();
        for (int i = start; i < Math.min(files.size(), start + batch); i++) {
            Path file = files.get(i);
            futures.add(pool.submit(() -> tensor(file)));
        }
        return futures;
    }

    private float[] tensor(Path file) {
        io.inctrlstream.schema.ImageEncoding extension = ImageFiles.encodingOf(file);
        if (extension == null) {
            throw new IllegalArgumentException(
                    "expected a .png, .jpg or .jpeg file, found " + file);
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            return scorer.preprocess(scorer.decode(ImageEncoding.valueOf(extension.name()), bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ModelException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static float[] await(Future<float[]> tensor) throws IOException {
        try {
            return tensor.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("decoding failed", cause);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
