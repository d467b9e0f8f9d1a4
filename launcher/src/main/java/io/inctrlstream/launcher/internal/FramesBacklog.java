package io.inctrlstream.launcher.internal;

import io.inctrlstream.launcher.internal.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How many frames of the frames topic the job has not yet read as of its latest completed
 * checkpoint: per partition, the end offset minus the offset the job's consumer group committed
 * (the Kafka source commits with each checkpoint), or minus the earliest retained offset where the
 * group committed none. What {@code run --local} reports when it stops: frames sent that are not
 * scored yet (a later run, or {@code --resume}, scores them).
 */
public final class FramesBacklog {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FramesBacklog() {}

    /**
     * The frames of {@code topic} beyond what {@code groupId} committed.
     *
     * @throws IllegalStateException if Kafka does not answer within 10 s or refuses
     */
    public static long unread(KafkaClientSettings kafka, String topic, String groupId) {
        try (Admin admin = Admin.create(kafka.admin("inctrl-frames-backlog"))) {
            TopicDescription description =
                    admin.describeTopics(java.util.List.of(topic))
                            .allTopicNames()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            description
                    .partitions()
                    .forEach(
                            p -> {
                                TopicPartition partition = new TopicPartition(topic, p.partition());
                                latest.put(partition, OffsetSpec.latest());
                                earliest.put(partition, OffsetSpec.earliest());
                            });
            var ends =
                    admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            var starts =
                    admin.listOffsets(earliest)
                            .all()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId)
                            .partitionsToOffsetAndMetadata()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long unread = 0;
            for (TopicPartition partition : latest.keySet()) {
                OffsetAndMetadata read = committed.get(partition);
                long from = read != null ? read.offset() : starts.get(partition).offset();
                unread += Math.max(0, ends.get(partition).offset() - from);
            }
            return unread;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot read the backlog of topic "
                            + topic
                            + " for group "
                            + groupId
                            + " from Kafka at "
                            + kafka.bootstrapServers()
                            + ": "
                            + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the frames backlog", e);
        }
    }
}
