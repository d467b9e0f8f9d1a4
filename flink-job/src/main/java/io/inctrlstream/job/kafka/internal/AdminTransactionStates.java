package io.inctrlstream.job.kafka.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TransactionStates} from Kafka's Admin API, one short-lived client per call: the sink asks
 * only when it restores a checkpoint.
 */
final class AdminTransactionStates implements TransactionStates {
    private static final Logger LOG = LoggerFactory.getLogger(AdminTransactionStates.class);

    private final Properties adminProperties;

    /**
     * @param clientProperties the sink's producer properties; those an Admin client knows (the
     *     bootstrap servers and security settings) are used
     * @param timeout how long one call may take
     */
    AdminTransactionStates(Properties clientProperties, Duration timeout) {
        Properties properties = new Properties();
        Set<String> adminKeys = AdminClientConfig.configNames();
        for (String key : clientProperties.stringPropertyNames()) {
            if (adminKeys.contains(key)) {
                properties.setProperty(key, clientProperties.getProperty(key));
            }
        }
        String millis = Long.toString(Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        properties.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        properties.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        properties.remove(AdminClientConfig.CLIENT_ID_CONFIG);
        this.adminProperties = properties;
    }

    @Override
    public Map<String, TransactionDescription> describe(Set<String> transactionalIds)
            throws InterruptedException {
        Map<String, TransactionDescription> states = new HashMap<>();
        try (Admin admin = Admin.create(adminProperties)) {
            DescribeTransactionsResult result = admin.describeTransactions(transactionalIds);
            for (String id : transactionalIds) {
                try {
                    states.put(id, result.description(id).get());
                } catch (ExecutionException e) {
                    LOG.warn(
                            "The state of Kafka transaction {} is not known: {}",
                            id,
                            String.valueOf(e.getCause()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("The states of Kafka transactions {} are not known", transactionalIds, e);
        }
        return states;
    }
}
