package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import io.inctrlstream.launcher.internal.kafka.KafkaClients;
import io.inctrlstream.launcher.internal.kafka.RecordText;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inctrl tail scores|alerts|events|dead-letters}: the job's outputs, decoded. */
@Command(
        name = "tail",
        description = {
            "Print the job's outputs (scores, alerts, events, dead letters) as they come.",
            "Decoded records as readable lines or JSON. Stops at --max records, after"
                    + " --idle-timeout without records, or on Ctrl-C."
        },
        mixinStandardHelpOptions = true)
public final class TailCommand implements Callable<Integer> {

    /** The outputs one can tail. */
    enum Output {
        SCORES,
        ALERTS,
        EVENTS,
        DEAD_LETTERS;

        static Output parse(String text) {
            return switch (text) {
                case "scores" -> SCORES;
                case "alerts" -> ALERTS;
                case "events", "control-events" -> EVENTS;
                case "dead-letters" -> DEAD_LETTERS;
                default -> null;
            };
        }
    }

    /** Decodes one topic's values. */
    private interface Decoder {
        SpecificRecord decode(byte[] value) throws SchemaDecodeException;
    }

    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Mixin TopicOptions topics;

    @Parameters(
            paramLabel = "WHAT",
            description = "scores, alerts, events (control events) or dead-letters.")
    String what;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(
            names = "--with-bytes",
            description = "With --json: include byte fields (heatmaps, originals) as base64.")
    boolean withBytes;

    @Option(names = "--from-beginning", description = "Start at the oldest records.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Integer max;

    @Option(names = "--line", paramLabel = "LINE", description = "Only this line's records.")
    String line;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Stop after this long without a record.")
    Duration idleTimeout;

    @Override
    public Integer call() throws Exception {
        Output output = Output.parse(what);
        if (output == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "WHAT must be scores, alerts, events or dead-letters, found \"" + what + "\"");
        }
        if (max != null && max < 1) {
            throw new ParameterException(spec.commandLine(), "--max must be >= 1, found " + max);
        }
        InspectionTopics names = topics.topics();
        KafkaClientSettings settings = kafka.settings(spec);
        String topic =
                switch (output) {
                    case SCORES -> names.scores();
                    case ALERTS -> names.alerts();
                    case EVENTS -> names.controlEvents();
                    case DEAD_LETTERS -> names.deadLetters();
                };
        Decoder decoder = decoder(output);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings.consumer("inctrl-tail"))) {
            Thread stopper = new Thread(consumer::wakeup, "inctrl-tail-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                List<TopicPartition> partitions =
                        KafkaClients.partitions(consumer, topic, settings.bootstrapServers());
                consumer.assign(partitions);
                if (fromBeginning) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
                int printed = 0;
                long lastRecord = System.nanoTime();
                while (max == null || printed < max) {
                    boolean any = false;
                    for (ConsumerRecord<byte[], byte[]> record :
                            consumer.poll(Duration.ofMillis(200))) {
                        any = true;
                        if (line != null
                                && (record.key() == null
                                        || !line.equals(
                                                new String(
                                                        record.key(), StandardCharsets.UTF_8)))) {
                            continue;
                        }
                        try {
                            SpecificRecord value = decoder.decode(record.value());
                            out.println(json ? RecordText.json(value, withBytes) : text(value));
                        } catch (SchemaDecodeException e) {
                            err.printf(
                                    "%s[%d]@%d: not a record of ours: %s%n",
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    e.getMessage());
                        }
                        printed++;
                        if (max != null && printed >= max) {
                            break;
                        }
                    }
                    out.flush();
                    err.flush();
                    if (any) {
                        lastRecord = System.nanoTime();
                    } else if (idleTimeout != null
                            && System.nanoTime() - lastRecord > idleTimeout.toNanos()) {
                        break;
                    }
                }
            } catch (WakeupException e) {
                // Ctrl-C: stop quietly.
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Decoder decoder(Output output) {
        return switch (output) {
            case SCORES -> AvroCodec.anomalyScores()::decode;
            case ALERTS -> AvroCodec.anomalyAlerts()::decode;
            case EVENTS -> AvroCodec.controlEvents()::decode;
            case DEAD_LETTERS -> AvroCodec.deadLetters()::decode;
        };
    }

    private static String text(SpecificRecord value) {
        if (value instanceof AnomalyScore score) {
            return RecordText.line(score);
        }
        if (value instanceof AnomalyAlert alert) {
            return RecordText.line(alert);
        }
        if (value instanceof ControlEvent event) {
            return RecordText.line(event);
        }
        return RecordText.line((DeadLetter) value);
    }
}
