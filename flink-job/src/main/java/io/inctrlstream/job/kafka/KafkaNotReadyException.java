package io.inctrlstream.job.kafka;

/**
 * Kafka is not ready for the job: its brokers do not answer, refuse the credentials, or lack a
 * topic the job reads or writes. The message is one line saying which.
 */
public final class KafkaNotReadyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public KafkaNotReadyException(String message) {
        super(message);
    }
}
