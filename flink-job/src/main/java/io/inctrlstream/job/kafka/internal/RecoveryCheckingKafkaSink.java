package io.inctrlstream.job.kafka.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;

/**
 * An exactly-once {@link KafkaSink} whose committer, after a restore, checks what became of the
 * restored checkpoint's transactions before committing them ({@link
 * RecoveredTransactionsCommitter}). Everything else (writer, state, serializers) is the
 * connector's, so checkpoints and savepoints are those of the plain sink.
 */
public final class RecoveryCheckingKafkaSink<IN>
        implements TwoPhaseCommittingStatefulSink<IN, KafkaWriterState, KafkaCommittable>,
                SupportsPostCommitTopology<KafkaCommittable>,
                LineageVertexProvider {
    private static final long serialVersionUID = 1L;
    // Short: the sinks' committers of a task restore one after the other, and without an answer the
    // connector's committer decides as before.
    private static final Duration STATE_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaSink<IN> delegate;
    private final Properties clientProperties;
    private final String transactionalIdPrefix;
    private final String topic;
    private final Duration transactionTimeout;

    /**
     * @param delegate the exactly-once sink
     * @param clientProperties its producer properties (bootstrap servers, security)
     * @param transactionalIdPrefix its transactional id prefix
     * @param topic the topic it writes, for messages
     * @param transactionTimeout its producers' transaction timeout, for messages
     */
    public RecoveryCheckingKafkaSink(
            KafkaSink<IN> delegate,
            Properties clientProperties,
            String transactionalIdPrefix,
            String topic,
            Duration transactionTimeout) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clientProperties = new Properties();
        this.clientProperties.putAll(Objects.requireNonNull(clientProperties, "clientProperties"));
        this.transactionalIdPrefix = Objects.requireNonNull(transactionalIdPrefix, "prefix");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.transactionTimeout = Objects.requireNonNull(transactionTimeout, "timeout");
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        Committer<KafkaCommittable> committer = delegate.createCommitter(context);
        OptionalLong restored = context.getRestoredCheckpointId();
        if (restored.isEmpty()) {
            return committer;
        }
        return new RecoveredTransactionsCommitter(
                committer,
                new AdminTransactionStates(clientProperties, STATE_REQUEST_TIMEOUT),
                transactionalIdPrefix,
                restored.getAsLong(),
                topic,
                transactionTimeout);
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> createWriter(
            WriterInitContext context) throws IOException {
        return delegate.createWriter(context);
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> restoreWriter(
            WriterInitContext context, Collection<KafkaWriterState> recoveredState)
            throws IOException {
        return delegate.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committed) {
        delegate.addPostCommitTopology(committed);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return delegate.getLineageVertex();
    }
}
