package io.inctrlstream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.InspectionJobOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * The start-up check's one-line reasons, and a real check against a port where no broker listens.
 * Missing topics against a real broker: the launcher's StartupCheckITCase.
 */
class KafkaStartupCheckTest {
    private static final String SERVERS = "kafka-1:9093,kafka-2:9093";

    @Test
    void refusedCredentialsNameTheServersAndKafkasReason() {
        String message =
                KafkaStartupCheck.connectionProblem(
                        SERVERS,
                        Duration.ofSeconds(30),
                        new ExecutionException(
                                new SaslAuthenticationException(
                                        "Authentication failed: Invalid username or password")));

        assertThat(message)
                .isEqualTo(
                        "Kafka at kafka-1:9093,kafka-2:9093 refused the credentials:"
                                + " SaslAuthenticationException: Authentication failed: Invalid"
                                + " username or password (check security.protocol, sasl.mechanism"
                                + " and sasl.jaas.config)");
        assertThat(
                        KafkaStartupCheck.connectionProblem(
                                SERVERS,
                                Duration.ofSeconds(30),
                                new ExecutionException(
                                        new SslAuthenticationException("handshake\nfailed"))))
                .startsWith("Kafka at kafka-1:9093,kafka-2:9093 refused the credentials:")
                .contains("SslAuthenticationException: handshake failed");
    }

    @Test
    void noAnswerInTimeSaysUnreachableWithTheTimeout() {
        String expected =
                "Kafka at kafka-1:9093,kafka-2:9093 is not reachable: no broker answered within"
                        + " 15 s (check the bootstrap servers, the network and security.protocol)";
        assertThat(
                        KafkaStartupCheck.connectionProblem(
                                SERVERS, Duration.ofSeconds(15), new TimeoutException()))
                .isEqualTo(expected);
        assertThat(
                        KafkaStartupCheck.connectionProblem(
                                SERVERS,
                                Duration.ofSeconds(15),
                                new ExecutionException(
                                        new org.apache.kafka.common.errors.TimeoutException(
                                                "Timed out waiting for a node assignment."))))
                .isEqualTo(expected);
    }

    @Test
    void deniedAndOtherFailuresSayWhat() {
        assertThat(
                        KafkaStartupCheck.connectionProblem(
                                SERVERS,
                                Duration.ofSeconds(15),
                                new ExecutionException(
                                        new TopicAuthorizationException("Not authorized"))))
                .isEqualTo(
                        "Kafka at kafka-1:9093,kafka-2:9093 denied the job's principal: Not"
                                + " authorized (grant it Describe on the cluster and the topics)");
        assertThat(
                        KafkaStartupCheck.connectionProblem(
                                SERVERS,
                                Duration.ofSeconds(15),
                                new ExecutionException(new IllegalStateException("boom"))))
                .isEqualTo(
                        "Kafka at kafka-1:9093,kafka-2:9093 could not be checked:"
                                + " IllegalStateException: boom");
    }

    @Test
    void aLineStateTopicThatIsNotCompactedOrTooSmallIsRefused() {
        long limit = 10_000_000;
        assertThat(
                        KafkaStartupCheck.lineStateTopicProblem(
                                SERVERS, "line-state", topicConfig("delete", "20000000"), limit))
                .isEqualTo(
                        "Kafka at kafka-1:9093,kafka-2:9093: the line-state topic line-state has"
                                + " cleanup.policy=delete, so a line's state would be deleted after"
                                + " the topic's retention; it must be compacted"
                                + " (cleanup.policy=compact, as inctrl topics create makes it)");
        assertThat(
                        KafkaStartupCheck.lineStateTopicProblem(
                                SERVERS, "line-state", topicConfig("compact", "1048588"), limit))
                .isEqualTo(
                        "Kafka at kafka-1:9093,kafka-2:9093: the line-state topic line-state takes"
                                + " records of at most 1048588 bytes (max.message.bytes), the job"
                                + " writes line states of up to 10000000 bytes"
                                + " (inctrl.line-state.max-record-bytes); set max.message.bytes to"
                                + " at least 10065536 or lower the option");
        assertThat(
                        KafkaStartupCheck.lineStateTopicProblem(
                                SERVERS,
                                "line-state",
                                topicConfig("compact, delete", "10065536"),
                                limit))
                .as("compacted (and deleting old segments) with just enough room")
                .isNull();
    }

    private static org.apache.kafka.clients.admin.Config topicConfig(
            String cleanupPolicy, String maxMessageBytes) {
        return new org.apache.kafka.clients.admin.Config(
                List.of(
                        new org.apache.kafka.clients.admin.ConfigEntry(
                                "cleanup.policy", cleanupPolicy),
                        new org.apache.kafka.clients.admin.ConfigEntry(
                                "max.message.bytes", maxMessageBytes)));
    }

    @Test
    void missingAndUndescribableTopicsAreNamed() {
        assertThat(KafkaStartupCheck.topicsProblem(SERVERS, List.of("frames"), List.of()))
                .isEqualTo(
                        "Kafka at kafka-1:9093,kafka-2:9093 has no topic frames (create them"
                                + " before starting the job)");
        assertThat(
                        KafkaStartupCheck.topicsProblem(
                                SERVERS, List.of("frames", "line-state"), List.of("scores")))
                .isEqualTo(
                        "Kafka at kafka-1:9093,kafka-2:9093 has no topics frames, line-state;"
                                + " does not let the job describe topic scores (create them before"
                                + " starting the job)");
        assertThat(KafkaStartupCheck.topicsProblem(SERVERS, List.of(), List.of("a", "b")))
                .isEqualTo(
                        "Kafka at kafka-1:9093,kafka-2:9093 does not let the job describe topics"
                                + " a, b (grant the job's principal Describe, Read and Write on"
                                + " them)");
    }

    @Test
    void aPortWithoutABrokerFailsWithinTheTimeout() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.BOOTSTRAP_SERVERS, "localhost:" + port);
        config.set(InspectionJobOptions.STARTUP_CHECK_TIMEOUT, Duration.ofSeconds(2));

        assertThatThrownBy(() -> KafkaStartupCheck.checkJob(config))
                .isInstanceOf(KafkaNotReadyException.class)
                .hasMessage(
                        "Kafka at localhost:"
                                + port
                                + " is not reachable: no broker answered within 2 s (check the"
                                + " bootstrap servers, the network and security.protocol)");
    }

    @Test
    void aZeroTimeoutSkipsTheCheck() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.BOOTSTRAP_SERVERS, "localhost:1");
        config.set(InspectionJobOptions.STARTUP_CHECK_TIMEOUT, Duration.ZERO);

        KafkaStartupCheck.checkJob(config);

        assertThatThrownBy(() -> new KafkaStartupCheck("localhost:1", Map.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the start-up check timeout must be positive, found PT0S");
    }
}
