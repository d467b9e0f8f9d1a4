package io.inctrlstream.job.internal;

import io.inctrlstream.job.io.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Dead letters counted by reason: a counter {@code deadLetters} in the group {@code
 * deadLetterReason = <REASON>} for every reason, registered up front so that dashboards show zeros.
 */
final class DeadLetterCounters {
    static final String REASON_GROUP = "deadLetterReason";
    static final String COUNTER = "deadLetters";

    private final Map<DeadLetterReason, Counter> byReason = new EnumMap<>(DeadLetterReason.class);

    DeadLetterCounters(MetricGroup group) {
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            byReason.put(reason, group.addGroup(REASON_GROUP, reason.name()).counter(COUNTER));
        }
    }

    void count(DeadLetterReason reason) {
        byReason.get(reason).inc();
    }
}
