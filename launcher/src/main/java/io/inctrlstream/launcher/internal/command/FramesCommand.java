package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.LineIds;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.codec.AvroCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inctrl frames send}: images as camera frames. */
@Command(
        name = "frames",
        description = "Send images as camera frames.",
        mixinStandardHelpOptions = true,
        subcommands = FramesCommand.Send.class)
public final class FramesCommand extends ParentCommand {

    @Command(
            name = "send",
            description =
                    "Send image files as frames of a line (encoding from the extension; frame ids"
                            + " CAMERA-<time>-<n>).",
            mixinStandardHelpOptions = true)
    static final class Send implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin KafkaOptions kafka;

        @Mixin TopicOptions topics;

        @Option(names = "--line", required = true, paramLabel = "LINE", description = "The line.")
        String line;

        /** Room in a frame id for "-" + the batch's epoch millis + "-" + the image's index. */
        static final int MAX_CAMERA_LENGTH = RecordIds.MAX_INPUT_ID_LENGTH - 32;

        @Option(
                names = "--camera",
                paramLabel = "CAMERA",
                defaultValue = "cam-1",
                description = "The camera id (default: ${DEFAULT-VALUE}).")
        String camera;

        @Option(
                names = "--category",
                paramLabel = "NAME",
                description = "Product category of these frames (default: the line's).")
        String category;

        @Parameters(
                arity = "1..*",
                paramLabel = "FILE|FOLDER",
                description = "Images (.png, .jpg, .jpeg) or folders of them.")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            LineIds.problem(line)
                    .ifPresent(
                            problem -> {
                                throw new ParameterException(
                                        spec.commandLine(), "--line: " + problem);
                            });
            if (camera.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--camera must not be blank");
            }
            if (camera.length() > MAX_CAMERA_LENGTH) {
                // The frame ids are the camera id and a suffix; the job refuses longer ids.
                throw new ParameterException(
                        spec.commandLine(),
                        "--camera must be at most "
                                + MAX_CAMERA_LENGTH
                                + " characters (a frame id is it and \"-<millis>-<n>\", at most "
                                + RecordIds.MAX_INPUT_ID_LENGTH
                                + "), found "
                                + camera.length());
            }
            List<Path> images = ImageArguments.files(spec, files);
            PrintWriter out = spec.commandLine().getOut();
            AvroCodec<Frame> codec = AvroCodec.frames();
            String topic = topics.topics().frames();
            long batch = System.currentTimeMillis();
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(kafka.settings(spec).producer("inctrl-frames"))) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    String frameId = camera + "-" + batch + "-" + i;
                    Frame frame =
                            Frame.newBuilder()
                                    .setLineId(line)
                                    .setCameraId(camera)
                                    .setFrameId(frameId)
                                    .setCaptureTime(Instant.now())
                                    .setProductCategory(category)
                                    .setImage(ImageArguments.image(spec, images.get(i)))
                                    .setAttributes(
                                            Map.of(
                                                    "source.file",
                                                    images.get(i).getFileName().toString()))
                                    .build();
                    sent.add(
                            producer.send(
                                    new ProducerRecord<>(
                                            topic, RecordIds.lineKey(line), codec.encode(frame))));
                    ids.add(frameId + " " + images.get(i).getFileName());
                }
                producer.flush();
                for (Future<RecordMetadata> future : sent) {
                    future.get();
                }
                out.printf(
                        "sent %d frame%s to topic %s:%n",
                        ids.size(), ids.size() == 1 ? "" : "s", topic);
                for (String id : ids) {
                    out.println("  " + line + "/" + id);
                }
                out.flush();
                producer.close(Duration.ofSeconds(5));
            }
            return ExitCodes.OK;
        }
    }
}
