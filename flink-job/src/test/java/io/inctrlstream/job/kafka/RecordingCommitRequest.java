package io.inctrlstream.job.kafka;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;

/** A commit request of one Kafka transaction that records what a committer signalled. */
public final class RecordingCommitRequest implements Committer.CommitRequest<KafkaCommittable> {
    private final KafkaCommittable committable;
    private Throwable failure;
    private boolean alreadyCommitted;
    private int retries;

    public RecordingCommitRequest(KafkaCommittable committable) {
        this.committable = committable;
    }

    /** The failure the committer signalled, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Whether the committer signalled the transaction as committed before. */
    public boolean alreadyCommitted() {
        return alreadyCommitted;
    }

    /** How often the committer asked to retry later. */
    public int retries() {
        return retries;
    }

    @Override
    public KafkaCommittable getCommittable() {
        return committable;
    }

    @Override
    public int getNumberOfRetries() {
        return retries;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
        failure = t;
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
        failure = t;
    }

    @Override
    public void retryLater() {
        retries++;
    }

    @Override
    public void updateAndRetryLater(KafkaCommittable committable) {
        retries++;
    }

    @Override
    public void signalAlreadyCommitted() {
        alreadyCommitted = true;
    }
}
