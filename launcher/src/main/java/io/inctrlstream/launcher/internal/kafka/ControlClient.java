package io.inctrlstream.launcher.internal.kafka;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.launcher.internal.Durations;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.codec.AvroCodec;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import io.inctrlstream.schema.signing.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends control commands to the job (Avro, keyed by line; with the principal and signature headers
 * of {@link ControlRecords}) and waits for their {@link ControlEvent}s, matched by command id. The
 * events consumer is positioned at the end of the events topic before a command is sent, so only
 * answers to this client's commands are read.
 */
public final class ControlClient implements AutoCloseable {
    private final KafkaClientSettings kafka;
    private final InspectionTopics topics;
    private final ControlRecords records;
    private final AvroCodec<ControlEvent> events = AvroCodec.controlEvents();
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;

    /** A client that signs nothing. */
    public ControlClient(KafkaClientSettings kafka, InspectionTopics topics) {
        this(kafka, topics, null);
    }

    /**
     * A client whose commands name its principal (when {@link KafkaClientSettings#principal()}
     * knows it) and are signed with {@code signing}.
     *
     * @param signing the key that signs every command, or null to sign none
     */
    public ControlClient(KafkaClientSettings kafka, InspectionTopics topics, SigningKey signing) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.records =
                new ControlRecords(topics.control(), kafka.principal().orElse(null), signing);
        this.producer = new KafkaProducer<>(kafka.producer("inctrl-control"));
        try {
            this.consumer = new KafkaConsumer<>(kafka.consumer("inctrl-control-events"));
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** A command for a line with a fresh id, issued now. */
    public static ControlCommand command(String lineId, Object action, String issuedBy) {
        return ControlCommand.newBuilder()
                .setCommandId("cmd-" + UUID.randomUUID())
                .setLineId(lineId)
                .setIssuedAt(Instant.now())
                .setIssuedBy(issuedBy)
                .setAction(action)
                .build();
    }

    /** Sends one command and waits for its event. */
    public ControlEvent execute(ControlCommand command, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        return execute(List.of(command), timeout, () -> {}).get(command.getCommandId());
    }

    /**
     * Sends the commands (in order) and waits for all their events.
     *
     * @param stillAnswering called while waiting; throws (e.g. IllegalStateException) to give up
     *     when the job can no longer answer
     * @return the events by command id, in the commands' order
     * @throws TimeoutException if an event does not come within the timeout
     * @throws ExecutionException if Kafka refuses a command
     */
    public Map<String, ControlEvent> execute(
            List<ControlCommand> toSend, Duration timeout, Runnable stillAnswering)
            throws TimeoutException, InterruptedException, ExecutionException {
        List<TopicPartition> partitions =
                KafkaClients.partitions(consumer, topics.controlEvents(), kafka.bootstrapServers());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        for (TopicPartition partition : partitions) {
            consumer.position(partition); // resolve the end offsets now, before sending
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, ControlEvent> answered = new LinkedHashMap<>();
        for (ControlCommand command : toSend) {
            answered.put(command.getCommandId(), null);
            producer.send(records.of(command))
                    .get(remainingMillis(deadline, timeout), TimeUnit.MILLISECONDS);
        }
        int missing = toSend.size();
        while (missing > 0) {
            stillAnswering.run();
            long remaining = remainingMillis(deadline, timeout);
            for (ConsumerRecord<byte[], byte[]> record :
                    consumer.poll(Duration.ofMillis(Math.min(remaining, 200)))) {
                ControlEvent event;
                try {
                    event = events.decode(record.value());
                } catch (SchemaDecodeException e) {
                    continue; // not ours to judge here; `inctrl tail events` shows it
                }
                String id = event.getCommandId();
                if (answered.containsKey(id) && answered.get(id) == null) {
                    answered.put(id, event);
                    missing--;
                }
            }
        }
        return answered;
    }

    private long remainingMillis(long deadline, Duration timeout) throws TimeoutException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new TimeoutException(
                    "no control event within "
                            + Durations.format(timeout)
                            + " on topic \""
                            + topics.controlEvents()
                            + "\": is the inspection job running and reading \""
                            + topics.control()
                            + "\" on "
                            + kafka.bootstrapServers()
                            + "?");
        }
        return remaining;
    }

    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(5));
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
