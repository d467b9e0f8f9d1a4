package io.inctrlstream.job.kafka;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.io.InspectionSinks;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.OutputTopic;
import io.inctrlstream.job.kafka.internal.OutboundRecordSerializer;
import java.util.Objects;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Writes each output to its Kafka topic with the record's key (the line id) and value. Delivery is
 * at-least-once (flushed on every checkpoint) or exactly-once (transactions committed on
 * checkpoints, one transactional id prefix per output).
 */
public final class KafkaInspectionSinks implements InspectionSinks {
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

    /** The Kafka sink of one output. */
    public KafkaSink<OutboundRecord> sink(OutputTopic topic) {
        KafkaSinkBuilder<OutboundRecord> builder =
                KafkaSink.<OutboundRecord>builder()
                        .setKafkaProducerConfig(
                                latency.producerProperties(settings.clientPropertiesCopy()))
                        .setBootstrapServers(settings.bootstrapServers())
                        .setRecordSerializer(
                                new OutboundRecordSerializer(settings.outputTopics().get(topic)));
        if (settings.deliveryMode() == DeliveryMode.EXACTLY_ONCE) {
            builder.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + topic.id())
                    .setProperty(
                            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                            Long.toString(settings.transactionTimeout().toMillis()));
        } else {
            builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
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
