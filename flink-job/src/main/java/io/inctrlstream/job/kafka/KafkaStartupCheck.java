package io.inctrlstream.job.kafka;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.InspectionTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before the job starts, that Kafka is ready for it: the brokers answer, the credentials
 * are accepted, and every topic the job reads or writes exists and may be described. Without this
 * check a job against a wrong address, wrong credentials or missing topics is submitted, then fails
 * and restarts over and over with the reason only in the TaskManager log. One Kafka admin client,
 * bounded by the timeout; a problem is one {@link KafkaNotReadyException} whose message is one line
 * naming the servers and the missing topics or the authentication error. The line-state topic must
 * also be compacted (else a line's state is deleted with the topic's retention) and take the
 * largest line-state record the job writes; where the job's principal may not read topic settings
 * (no DescribeConfigs), that part is skipped with a warning.
 */
public final class KafkaStartupCheck {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStartupCheck.class);

    private final String bootstrapServers;
    private final Map<String, String> clientProperties;
    private final Duration timeout;

    /**
     * @param bootstrapServers the brokers
     * @param clientProperties the job's client properties (security, tuning)
     * @param timeout how long the whole check may wait for the brokers
     */
    public KafkaStartupCheck(
            String bootstrapServers, Map<String, String> clientProperties, Duration timeout) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.clientProperties = Map.copyOf(clientProperties);
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the start-up check timeout must be positive, found " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * Checks Kafka for the job configured by {@code config}: its servers and client properties, and
     * all its topics ({@code inctrl.topics.*}). Does nothing when {@code
     * inctrl.kafka.startup-check-timeout} is 0.
     *
     * @throws KafkaNotReadyException if Kafka is not ready for the job
     */
    public static void checkJob(ReadableConfig config) {
        Duration timeout = config.get(InspectionJobOptions.STARTUP_CHECK_TIMEOUT);
        if (timeout.isZero()) {
            return;
        }
        InspectionTopics topics = InspectionTopics.from(config);
        new KafkaStartupCheck(
                        config.get(InspectionJobOptions.BOOTSTRAP_SERVERS),
                        config.get(InspectionJobOptions.KAFKA_PROPERTIES),
                        timeout)
                .check(
                        topics.all(),
                        topics.lineState(),
                        InspectionTopics.largestLineStateRecord(config));
    }

    /**
     * Connects to the brokers and describes the topics.
     *
     * @throws KafkaNotReadyException if the brokers do not answer in time, refuse the credentials,
     *     or a topic is missing or may not be described
     */
    public void check(Collection<String> topics) {
        check(topics, null, 0);
    }

    /**
     * Connects to the brokers, describes the topics and checks the line-state topic's settings.
     *
     * @param lineStateTopic the line-state topic (one of {@code topics}), or null for none
     * @param lineStateMaxRecordBytes the largest line-state record the job writes ({@code
     *     inctrl.line-state.max-record-bytes})
     * @throws KafkaNotReadyException as {@link #check(Collection)}, and if the line-state topic is
     *     not compacted or its max.message.bytes is below the largest line-state record plus its
     *     framing
     */
    public void check(
            Collection<String> topics, String lineStateTopic, long lineStateMaxRecordBytes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminProperties())) {
            try {
                admin.describeCluster().clusterId().get(left(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new KafkaNotReadyException(connectionProblem(bootstrapServers, timeout, e));
            }
            Map<String, KafkaFuture<TopicDescription>> described =
                    admin.describeTopics(new LinkedHashSet<>(topics)).topicNameValues();
            List<String> missing = new ArrayList<>();
            List<String> denied = new ArrayList<>();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : described.entrySet()) {
                try {
                    entry.getValue().get(left(deadline), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        missing.add(entry.getKey());
                    } else if (e.getCause() instanceof AuthorizationException) {
                        denied.add(entry.getKey());
                    } else {
                        throw new KafkaNotReadyException(
                                connectionProblem(bootstrapServers, timeout, e));
                    }
                } catch (TimeoutException e) {
                    throw new KafkaNotReadyException(
                            connectionProblem(bootstrapServers, timeout, e));
                }
            }
            if (!missing.isEmpty() || !denied.isEmpty()) {
                throw new KafkaNotReadyException(topicsProblem(bootstrapServers, missing, denied));
            }
            if (lineStateTopic != null) {
                checkLineStateTopic(admin, lineStateTopic, lineStateMaxRecordBytes, deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaNotReadyException(
                    "interrupted while checking Kafka at " + bootstrapServers);
        }
    }

    private void checkLineStateTopic(Admin admin, String topic, long maxRecordBytes, long deadline)
            throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config;
        try {
            config =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get(left(deadline), TimeUnit.MILLISECONDS)
                            .get(resource);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                LOG.warn(
                        "The settings of the line-state topic {} are not checked: the job's"
                                + " principal may not read them (DescribeConfigs).",
                        topic);
                return;
            }
            throw new KafkaNotReadyException(connectionProblem(bootstrapServers, timeout, e));
        } catch (TimeoutException e) {
            throw new KafkaNotReadyException(connectionProblem(bootstrapServers, timeout, e));
        }
        String problem = lineStateTopicProblem(bootstrapServers, topic, config, maxRecordBytes);
        if (problem != null) {
            throw new KafkaNotReadyException(problem);
        }
    }

    /**
     * The one-line reason why the line-state topic cannot keep every line's state, or null: it must
     * be compacted (a deleting topic drops a line's only record after retention.ms) and take
     * records of {@code maxRecordBytes} plus their framing.
     */
    static String lineStateTopicProblem(
            String servers, String topic, Config config, long maxRecordBytes) {
        ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        String cleanup = policy == null || policy.value() == null ? "delete" : policy.value();
        if (!List.of(cleanup.replace(" ", "").split(",")).contains("compact")) {
            return "Kafka at "
                    + servers
                    + ": the line-state topic "
                    + topic
                    + " has cleanup.policy="
                    + cleanup
                    + ", so a line's state would be deleted after the topic's retention; it"
                    + " must be compacted (cleanup.policy=compact, as inctrl topics create makes it)";
        }
        ConfigEntry maxMessage = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        long needed = maxRecordBytes + InspectionTopics.LINE_STATE_RECORD_OVERHEAD_BYTES;
        if (maxMessage != null && maxMessage.value() != null) {
            long allowed = Long.parseLong(maxMessage.value().trim());
            if (allowed < needed) {
                return "Kafka at "
                        + servers
                        + ": the line-state topic "
                        + topic
                        + " takes records of at most "
                        + allowed
                        + " bytes (max.message.bytes), the job writes line states of up to "
                        + maxRecordBytes
                        + " bytes (inctrl.line-state.max-record-bytes); set max.message.bytes to at"
                        + " least "
                        + needed
                        + " or lower the option";
            }
        }
        return null;
    }

    /**
     * The one-line reason for a failed connection: no answer in time, credentials refused, or
     * another error of the client.
     */
    static String connectionProblem(String servers, Duration timeout, Throwable failure) {
        Throwable cause =
                failure instanceof ExecutionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
        if (cause instanceof AuthenticationException) {
            return "Kafka at "
                    + servers
                    + " refused the credentials: "
                    + cause.getClass().getSimpleName()
                    + ": "
                    + oneLine(cause.getMessage())
                    + " (check security.protocol, sasl.mechanism and sasl.jaas.config)";
        }
        if (cause instanceof TimeoutException
                || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "Kafka at "
                    + servers
                    + " is not reachable: no broker answered within "
                    + timeout.toSeconds()
                    + " s (check the bootstrap servers, the network and security.protocol)";
        }
        if (cause instanceof AuthorizationException) {
            return "Kafka at "
                    + servers
                    + " denied the job's principal: "
                    + oneLine(cause.getMessage())
                    + " (grant it Describe on the cluster and the topics)";
        }
        return "Kafka at "
                + servers
                + " could not be checked: "
                + cause.getClass().getSimpleName()
                + ": "
                + oneLine(cause.getMessage());
    }

    /** The one-line reason for missing topics and topics the job may not describe. */
    static String topicsProblem(String servers, List<String> missing, List<String> denied) {
        StringBuilder text = new StringBuilder("Kafka at ").append(servers);
        if (!missing.isEmpty()) {
            text.append(missing.size() == 1 ? " has no topic " : " has no topics ")
                    .append(String.join(", ", missing));
        }
        if (!denied.isEmpty()) {
            text.append(missing.isEmpty() ? " " : "; ")
                    .append("does not let the job describe ")
                    .append(denied.size() == 1 ? "topic " : "topics ")
                    .append(String.join(", ", denied));
        }
        return text.append(
                        missing.isEmpty()
                                ? " (grant the job's principal Describe, Read and Write on them)"
                                : " (create them before starting the job)")
                .toString();
    }

    private Properties adminProperties() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "inctrl-startup-check");
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        properties.put(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Integer.toString(Math.min(millis, 10_000)));
        return properties;
    }

    private static long left(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
