package io.inctrlstream.job.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AdminTransactionStatesTest {
    /**
     * No broker answers (nothing listens on the port): no state, no exception, within the timeout,
     * so the connector's committer decides as before. The producer-only settings among the sink's
     * properties are left out of the Admin client's.
     */
    @Test
    @Timeout(30)
    void anUnreachableClusterAnswersNothing() throws Exception {
        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900000");
        producer.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        AdminTransactionStates states = new AdminTransactionStates(producer, Duration.ofSeconds(1));

        assertThat(states.describe(Set.of("inctrl-scores-0-7"))).isEmpty();
    }
}
