package io.inctrlstream.job.internal;

import io.inctrlstream.job.io.DeadLetterReason;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Dead letters counted by reason: a counter {@code deadLetters} in the group {@code
 * deadLetterReason = <REASON>} for every reason the stage writes, registered up front so that
 * dashboards show zeros (any other reason is registered when first counted).
 */
final class DeadLetterCounters {
    static final String REASON_GROUP = "deadLetterReason";
    static final String COUNTER = "deadLetters";

    private final MetricGroup group;
    private final Map<DeadLetterReason, Counter> byReason = new EnumMap<>(DeadLetterReason.class);

    /** Counters for {@code reasons}. */
    DeadLetterCounters(MetricGroup group, Collection<DeadLetterReason> reasons) {
        this.group = group;
        reasons.forEach(this::counter);
    }

    void count(DeadLetterReason reason) {
        counter(reason).inc();
    }

    private Counter counter(DeadLetterReason reason) {
        return byReason.computeIfAbsent(
                reason, r -> group.addGroup(REASON_GROUP, r.name()).counter(COUNTER));
    }
}
