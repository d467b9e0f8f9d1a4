package io.inctrlstream.job.kafka;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.io.InspectionSinks;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.OutputTopic;
import io.inctrlstream.job.kafka.internal.OutboundRecordSerializer;
import io.inctrlstream.job.kafka.internal.RecoveryCheckingKafkaSink;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Writes each output to its Kafka topic with the record's key (the line id) and value. Delivery is
 * at-least-once (flushed on every checkpoint) or exactly-once (transactions committed on
 * checkpoints, one transactional id prefix per output). The line-state producer accepts records up
 * to {@link KafkaSettings#lineStateMaxRecordBytes()} (a line's whole shot bank).
 */
public final class KafkaInspectionSinks implements InspectionSinks {
    private static final long DEFAULT_BUFFER_MEMORY_BYTES = 32L * 1024 * 1024;

    private final KafkaSettings settings;
    private final KafkaLatency latency;

    /** Sinks with the latency options' defaults. */
    public KafkaInspectionSinks(KafkaSettings settings) {
        this(settings, KafkaLatency.defaults());
    }

    public KafkaInspectionSinks(KafkaSettings settings, KafkaLatency latency) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    /**
     * The Kafka sink of one output. In exactly-once mode its committer checks, after a restore,
     * what became of the restored checkpoint's transactions ({@link RecoveryCheckingKafkaSink}).
     */
    public Sink<OutboundRecord> sink(OutputTopic topic) {
        Properties producerProperties = latency.producerProperties(settings.clientPropertiesCopy());
        producerProperties.setProperty(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        String topicName = settings.outputTopics().get(topic);
        String transactionalIdPrefix = settings.transactionalIdPrefix() + "-" + topic.id();
        KafkaSinkBuilder<OutboundRecord> builder =
                KafkaSink.<OutboundRecord>builder()
                        .setKafkaProducerConfig(producerProperties)
                        .setBootstrapServers(settings.bootstrapServers())
                        .setRecordSerializer(new OutboundRecordSerializer(topicName));
        if (settings.deliveryMode() == DeliveryMode.EXACTLY_ONCE) {
            builder.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(transactionalIdPrefix)
                    .setProperty(
                            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                            Long.toString(settings.transactionTimeout().toMillis()));
        } else {
            builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
        }
        if (topic == OutputTopic.LINE_STATE) {
            // A line's state holds its whole shot bank: far above the producer's 1 MB default.
            long requestBytes =
                    settings.lineStateMaxRecordBytes()
                            + InspectionTopics.LINE_STATE_RECORD_OVERHEAD_BYTES;
            builder.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Long.toString(requestBytes))
                    .setProperty(
                            ProducerConfig.BUFFER_MEMORY_CONFIG,
                            Long.toString(Math.max(DEFAULT_BUFFER_MEMORY_BYTES, 2 * requestBytes)));
        }
        if (settings.deliveryMode() == DeliveryMode.EXACTLY_ONCE) {
            return new RecoveryCheckingKafkaSink<>(
                    builder.build(),
                    producerProperties,
                    transactionalIdPrefix,
                    topicName,
                    settings.transactionTimeout());
        }
        return builder.build();
    }

    @Override
    public void write(OutputTopic topic, DataStream<OutboundRecord> records) {
        records.sinkTo(sink(topic))
                .name("kafka: " + settings.outputTopics().get(topic))
                .uid("inctrl-kafka-sink-" + topic.id());
    }
}
