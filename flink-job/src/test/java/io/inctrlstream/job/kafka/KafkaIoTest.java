package io.inctrlstream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.job.io.OutputTopic;
import io.inctrlstream.job.io.RawRecord;
import io.inctrlstream.job.io.RecordHeader;
import io.inctrlstream.job.kafka.internal.OutboundRecordSerializer;
import io.inctrlstream.job.kafka.internal.RawRecordDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The Kafka side of the job without a broker: settings, record (de)serialization, builders. */
class KafkaIoTest {
    private static final class ListCollector<T> implements Collector<T> {
        final List<T> items = new ArrayList<>();

        @Override
        public void collect(T record) {
            items.add(record);
        }

        @Override
        public void close() {}
    }

    @Test
    void theDeserializerPassesBytesAndProvenanceOnWithoutLookingAtThem() throws Exception {
        ListCollector<RawRecord> out = new ListCollector<>();
        RawRecordDeserializer deserializer = new RawRecordDeserializer();
        byte[] garbage = {0, (byte) 0xFF, 42};

        deserializer.deserialize(
                new ConsumerRecord<>(
                        "frames", 3, 99L, "line-1".getBytes(StandardCharsets.UTF_8), garbage),
                out);
        deserializer.deserialize(new ConsumerRecord<>("control", 0, 5L, null, null), out);

        RawRecord first = out.items.get(0);
        assertThat(first.topic()).isEqualTo("frames");
        assertThat(first.partition()).isEqualTo(3);
        assertThat(first.offset()).isEqualTo(99L);
        assertThat(first.key()).isEqualTo("line-1".getBytes(StandardCharsets.UTF_8));
        assertThat(first.value()).isEqualTo(garbage);
        RawRecord tombstone = out.items.get(1);
        assertThat(tombstone.key()).isNull();
        assertThat(tombstone.value()).isEmpty();
        assertThat(deserializer.getProducedType().getTypeClass()).isEqualTo(RawRecord.class);
        assertThat(first.headers()).isEmpty();
    }

    @Test
    void theDeserializerKeepsEveryHeaderInOrderRepeatedKeysAndNullValuesIncluded() {
        ListCollector<RawRecord> out = new ListCollector<>();
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("control", 0, 1L, new byte[] {1}, new byte[] {2});
        record.headers().add("inctrl-principal", "User:alice".getBytes(StandardCharsets.UTF_8));
        record.headers().add("inctrl-principal", "User:mallory".getBytes(StandardCharsets.UTF_8));
        record.headers().add("empty", null);

        new RawRecordDeserializer().deserialize(record, out);

        assertThat(out.items.get(0).headers())
                .extracting(
                        RecordHeader::key,
                        h ->
                                h.value() == null
                                        ? null
                                        : new String(h.value(), StandardCharsets.UTF_8))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("inctrl-principal", "User:alice"),
                        org.assertj.core.groups.Tuple.tuple("inctrl-principal", "User:mallory"),
                        org.assertj.core.groups.Tuple.tuple("empty", null));
    }

    @Test
    void aRawRecordWithHeadersIsAFlinkPojoThatNeverFallsBackToKryo() throws Exception {
        RawRecord record =
                new RawRecord(
                        "control",
                        2,
                        3L,
                        new byte[] {4},
                        new byte[] {5, 6},
                        7L,
                        List.of(
                                new RecordHeader("inctrl-signature", new byte[] {8}),
                                new RecordHeader("none", null)));
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeInformation<RawRecord> info = new RawRecordDeserializer().getProducedType();
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<RawRecord> serializer = info.createSerializer(noKryo);
        DataOutputSerializer bytes = new DataOutputSerializer(64);
        serializer.serialize(record, bytes);

        RawRecord copy = serializer.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));

        assertThat(copy).usingRecursiveComparison().isEqualTo(record);
        assertThat(copy.headers().get(0).value()).containsExactly(8);
        assertThat(copy.headers().get(1).value()).isNull();
    }

    @Test
    void theSerializerWritesKeyAndValueToItsTopicAndLeavesPartitioningToTheKey() {
        byte[] key = "line-1".getBytes(StandardCharsets.UTF_8);
        byte[] value = {1, 2, 3};

        ProducerRecord<byte[], byte[]> record =
                new OutboundRecordSerializer("scores")
                        .serialize(new OutboundRecord(key, value), null, 123L);

        assertThat(record.topic()).isEqualTo("scores");
        assertThat(record.partition()).isNull();
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.value()).isEqualTo(value);
        assertThat(record.timestamp()).isEqualTo(123L);
    }

    @Test
    void settingsComeFromTheOptionsWithClientPropertiesAsPrefixedKeys() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.BOOTSTRAP_SERVERS, "broker-1:9093");
        config.set(InspectionJobOptions.SCORES_TOPIC, "line-scores");
        config.set(InspectionJobOptions.DELIVERY_GUARANTEE, DeliveryMode.EXACTLY_ONCE);
        config.setString("inctrl.kafka.properties.security.protocol", "SASL_SSL");
        config.setString(
                "inctrl.kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"secret\";");

        KafkaSettings settings = KafkaSettings.from(config);

        assertThat(settings.bootstrapServers()).isEqualTo("broker-1:9093");
        assertThat(settings.outputTopics())
                .containsEntry(OutputTopic.SCORES, "line-scores")
                .containsEntry(OutputTopic.DEAD_LETTERS, "dead-letters");
        assertThat(settings.clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"secret\";");
        assertThat(settings.deliveryMode()).isEqualTo(DeliveryMode.EXACTLY_ONCE);
        assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("secret");
    }

    @Test
    void emptySettingsAreRefusedByName() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.ALERTS_TOPIC, " ");

        assertThatThrownBy(() -> KafkaSettings.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alerts topic must not be empty, found none");
    }

    @Test
    void sourcesAndSinksBuildForBothDeliveryModes() {
        for (DeliveryMode mode : DeliveryMode.values()) {
            KafkaSettings settings =
                    new KafkaSettings(
                            "localhost:9092",
                            "group",
                            Map.of("client.id", "test"),
                            "frames",
                            "control",
                            Map.of(
                                    OutputTopic.SCORES, "scores",
                                    OutputTopic.ALERTS, "alerts",
                                    OutputTopic.CONTROL_EVENTS, "control-events",
                                    OutputTopic.DEAD_LETTERS, "dead-letters"),
                            mode,
                            "prefix",
                            Duration.ofMinutes(15));
            assertThat(new KafkaInspectionSources(settings).source()).isNotNull();
            for (OutputTopic topic : OutputTopic.values()) {
                assertThat(new KafkaInspectionSinks(settings).sink(topic)).isNotNull();
            }
        }
    }
}
