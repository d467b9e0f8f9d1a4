package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.job.io.OutputTopic;
import io.inctrlstream.job.kafka.CommitterContexts;
import io.inctrlstream.job.kafka.KafkaInspectionSinks;
import io.inctrlstream.job.kafka.KafkaSettings;
import io.inctrlstream.job.kafka.RecordingCommitRequest;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What becomes of a transaction that a restored checkpoint holds for commit, against a real broker
 * (Kafka 4, transactions version 2).
 */
@ExtendWith(SharedKafka.class)
@Timeout(120)
class RecoveredTransactionsITCase {

    /**
     * The reproduction: a transaction committed before a failure is committed again by the
     * connector's committer on restore, and fails as "fenced" (which the connector logs as an ERROR
     * that "most likely signals data loss") although its record is committed, exactly once.
     */
    @Test
    void theConnectorReportsATransactionCommittedBeforeTheRestartAsFenced(
            EmbeddedKafkaBroker broker) throws Exception {
        String topic = topic(broker);
        String transactionalId = "recovered-" + UUID.randomUUID() + "-0-1";
        KafkaCommittable committable =
                writeOneRecord(broker, topic, transactionalId, TransactionEnd.COMMITTED);

        // Transactions version 2: the commit bumped the producer's epoch.
        TransactionDescription state = describe(broker, transactionalId);
        assertThat(state.producerId()).isEqualTo(committable.getProducerId());
        assertThat(state.producerEpoch()).isEqualTo(committable.getEpoch() + 1);
        assertThat(state.state())
                .isIn(TransactionState.PREPARE_COMMIT, TransactionState.COMPLETE_COMMIT);

        RecordingCommitRequest request = new RecordingCommitRequest(committable);
        try (KafkaCommitter committer =
                new KafkaCommitter(
                        producerProperties(broker),
                        "recovered",
                        0,
                        1,
                        false,
                        FlinkKafkaInternalProducer::new)) {
            committer.commit(List.of(request));
        }
        assertThat(request.failure()).isInstanceOf(ProducerFencedException.class);
        assertThat(readCommitted(broker, topic)).containsExactly("record of " + transactionalId);
    }

    /** The job's sink knows it was committed: no second commit, no failure, the record once. */
    @Test
    void theJobsSinkFindsATransactionCommittedBeforeTheRestartCommitted(EmbeddedKafkaBroker broker)
            throws Exception {
        RestoredSink sink = RestoredSink.of(broker, "committed");
        KafkaCommittable committable = sink.writeOneRecord(broker, 1, TransactionEnd.COMMITTED);

        RecordingCommitRequest request = sink.commitRestored(committable, 1);

        assertThat(request.alreadyCommitted()).isTrue();
        assertThat(request.failure()).isNull();
        assertThat(readCommitted(broker, sink.topic))
                .containsExactly("record of " + committable.getTransactionalId());
    }

    /** A transaction the failure left open (pre-committed only) is committed on restore. */
    @Test
    void theJobsSinkCommitsATransactionTheFailureLeftOpen(EmbeddedKafkaBroker broker)
            throws Exception {
        RestoredSink sink = RestoredSink.of(broker, "open");
        KafkaCommittable committable = sink.writeOneRecord(broker, 1, TransactionEnd.LEFT_OPEN);

        RecordingCommitRequest request = sink.commitRestored(committable, 1);

        assertThat(request.alreadyCommitted()).isFalse();
        assertThat(request.failure()).isNull();
        assertThat(readCommitted(broker, sink.topic))
                .containsExactly("record of " + committable.getTransactionalId());
    }

    /**
     * A transaction Kafka aborted before the restored job could commit it (here by its producer; a
     * transaction timeout leaves the same state) is reported as lost, saying which.
     */
    @Test
    void theJobsSinkReportsAnAbortedTransactionAsLost(EmbeddedKafkaBroker broker) throws Exception {
        RestoredSink sink = RestoredSink.of(broker, "aborted");
        KafkaCommittable committable = sink.writeOneRecord(broker, 2, TransactionEnd.ABORTED);

        RecordingCommitRequest request = sink.commitRestored(committable, 2);

        assertThat(request.alreadyCommitted()).isFalse();
        assertThat(request.failure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "Kafka aborted transaction "
                                + committable.getTransactionalId()
                                + " of topic "
                                + sink.topic)
                .hasMessageContaining("Its records are lost to read-committed consumers")
                .hasMessageContaining("inctrl.sink.transaction-timeout");
        assertThat(readCommitted(broker, sink.topic)).isEmpty();
    }

    /** The scores sink of the job as {@link KafkaInspectionSinks} builds it, restored. */
    private static final class RestoredSink {
        final String topic;
        final String transactionalIdPrefix;
        final SupportsCommitter<KafkaCommittable> sink;

        private RestoredSink(
                String topic,
                String transactionalIdPrefix,
                SupportsCommitter<KafkaCommittable> sink) {
            this.topic = topic;
            this.transactionalIdPrefix = transactionalIdPrefix;
            this.sink = sink;
        }

        @SuppressWarnings("unchecked")
        static RestoredSink of(EmbeddedKafkaBroker broker, String name) throws Exception {
            InspectionTopics topics = TestTopics.create(broker, "recovered-" + name);
            String prefix = "recovered-" + UUID.randomUUID().toString().substring(0, 8);
            Configuration config = new Configuration();
            config.set(InspectionJobOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            config.set(InspectionJobOptions.DELIVERY_GUARANTEE, DeliveryMode.EXACTLY_ONCE);
            config.set(InspectionJobOptions.TRANSACTIONAL_ID_PREFIX, prefix);
            topics.applyTo(config);
            KafkaSettings settings = KafkaSettings.from(config);
            return new RestoredSink(
                    settings.outputTopics().get(OutputTopic.SCORES),
                    prefix + "-" + OutputTopic.SCORES.id(),
                    (SupportsCommitter<KafkaCommittable>)
                            new KafkaInspectionSinks(settings).sink(OutputTopic.SCORES));
        }

        /**
         * A record in the transaction the sink's subtask 0 opens for {@code checkpoint}, ended as
         * {@code end} says.
         */
        KafkaCommittable writeOneRecord(
                EmbeddedKafkaBroker broker, long checkpoint, TransactionEnd end) {
            return RecoveredTransactionsITCase.writeOneRecord(
                    broker, topic, transactionalIdPrefix + "-0-" + checkpoint, end);
        }

        /** Commits {@code committable} as the committer of a job restored at {@code restored}. */
        RecordingCommitRequest commitRestored(KafkaCommittable committable, long restored)
                throws Exception {
            RecordingCommitRequest request = new RecordingCommitRequest(committable);
            try (Committer<KafkaCommittable> committer =
                    sink.createCommitter(CommitterContexts.restoredFrom(restored))) {
                committer.commit(List.of(request));
            }
            return request;
        }
    }

    /** How a test's transaction ends before the restored committer sees it. */
    private enum TransactionEnd {
        COMMITTED,
        LEFT_OPEN,
        ABORTED
    }

    /** One record in a transaction of {@code transactionalId}; its committable. */
    private static KafkaCommittable writeOneRecord(
            EmbeddedKafkaBroker broker, String topic, String transactionalId, TransactionEnd end) {
        try (FlinkKafkaInternalProducer<String, String> producer =
                new FlinkKafkaInternalProducer<>(producerProperties(broker), transactionalId)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "key", "record of " + transactionalId));
            producer.flush();
            KafkaCommittable committable =
                    new KafkaCommittable(
                            producer.getProducerId(), producer.getEpoch(), transactionalId, null);
            switch (end) {
                case COMMITTED -> producer.commitTransaction();
                case ABORTED -> producer.abortTransaction();
                case LEFT_OPEN -> {}
            }
            return committable;
        }
    }

    private static String topic(EmbeddedKafkaBroker broker) throws Exception {
        String topic = "recovered-transactions-" + UUID.randomUUID();
        broker.createTopics(Map.of(topic, 1));
        return topic;
    }

    private static Properties producerProperties(EmbeddedKafkaBroker broker) {
        Properties properties = new Properties();
        properties.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.setProperty(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.setProperty(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        return properties;
    }

    private static TransactionDescription describe(EmbeddedKafkaBroker broker, String id)
            throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()))) {
            return admin.describeTransactions(Set.of(id)).description(id).get();
        }
    }

    /** Every value a read-committed consumer finds in {@code topic}, up to its end. */
    private static List<String> readCommitted(EmbeddedKafkaBroker broker, String topic) {
        Properties properties = new Properties();
        properties.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        properties, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For a read-committed consumer the end is the last stable offset: every transaction
            // before it is decided, so nothing more can appear there.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.nanoTime()).as("read to the end in time").isLessThan(deadline);
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
