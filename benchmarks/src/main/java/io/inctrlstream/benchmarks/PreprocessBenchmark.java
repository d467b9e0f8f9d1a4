package io.inctrlstream.benchmarks;

import io.inctrlstream.model.ModelException;
import io.inctrlstream.model.image.DecodedImage;
import io.inctrlstream.model.image.ImageDecoder;
import io.inctrlstream.model.image.ImageEncoding;
import io.inctrlstream.model.image.ImagePreprocessor;
import io.inctrlstream.model.image.PreprocessSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frame preparation on one thread, in frames per second per core: decoding a 640x480 JPEG, turning
 * a decoded frame into the model's normalized 240x240 tensor, and both together (what the job does
 * per frame before inference).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class PreprocessBenchmark {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;

    private ImageDecoder decoder;
    private ImagePreprocessor preprocessor;
    private byte[] jpeg;
    private DecodedImage decoded;
    private float[] tensor;

    @Setup
    public void setUp() throws ModelException {
        decoder = new ImageDecoder();
        preprocessor = new ImagePreprocessor(PreprocessSpec.inctrl());
        jpeg = SyntheticFrames.jpeg(WIDTH, HEIGHT, 42);
        decoded = decoder.decode(ImageEncoding.JPEG, jpeg, WIDTH, HEIGHT);
        tensor = new float[preprocessor.tensorLength()];
    }

    @Benchmark
    public DecodedImage decodeJpeg() throws ModelException {
        return decoder.decode(ImageEncoding.JPEG, jpeg, WIDTH, HEIGHT);
    }

    @Benchmark
    public float[] preprocessDecoded() {
        preprocessor.preprocessInto(decoded, tensor, 0);
        return tensor;
    }

    @Benchmark
    public float[] decodeAndPreprocess() throws ModelException {
        preprocessor.preprocessInto(
                decoder.decode(ImageEncoding.JPEG, jpeg, WIDTH, HEIGHT), tensor, 0);
        return tensor;
    }
}
