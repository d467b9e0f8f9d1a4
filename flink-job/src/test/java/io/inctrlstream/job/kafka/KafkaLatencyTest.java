package io.inctrlstream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.InspectionJobOptions;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

class KafkaLatencyTest {
    @Test
    void defaultsFetchAtOnceSendAtOnceAndHoldAFrameOfTheLimit() {
        KafkaLatency latency = KafkaLatency.defaults();
        Properties consumer = latency.consumerProperties(new Properties());
        Properties producer = latency.producerProperties(new Properties());

        assertThat(consumer)
                .containsEntry("fetch.min.bytes", "1")
                .containsEntry("fetch.max.wait.ms", "100")
                .containsEntry("max.partition.fetch.bytes", Long.toString((8 << 20) + 65536));
        assertThat(producer)
                .containsEntry("linger.ms", "0")
                .containsEntry("max.request.size", Long.toString((8 << 20) + 65536));
        assertThat(consumer).doesNotContainKey("linger.ms");
        assertThat(producer).doesNotContainKey("fetch.max.wait.ms");
    }

    @Test
    void theOptionsSetTheClientsAndPassThroughPropertiesWin() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.KAFKA_FETCH_MAX_WAIT, Duration.ofMillis(20));
        config.set(InspectionJobOptions.KAFKA_LINGER, Duration.ofMillis(2));
        config.set(InspectionJobOptions.FRAME_MAX_BYTES, MemorySize.parse("64kb"));
        KafkaLatency latency = KafkaLatency.from(config);
        Properties passThrough = new Properties();
        passThrough.put("fetch.min.bytes", "4096");
        passThrough.put("security.protocol", "SASL_SSL");

        assertThat(latency.consumerProperties(passThrough))
                .containsEntry("fetch.min.bytes", "4096")
                .containsEntry("fetch.max.wait.ms", "20")
                .containsEntry("security.protocol", "SASL_SSL")
                .as("never below Kafka's default of 1 MB")
                .containsEntry("max.partition.fetch.bytes", Long.toString(1 << 20));
        assertThat(latency.producerProperties(new Properties())).containsEntry("linger.ms", "2");
    }

    @Test
    void negativeDurationsAreRefusedByOptionName() {
        assertThatThrownBy(() -> new KafkaLatency(Duration.ofMillis(-1), Duration.ZERO, 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "inctrl.kafka.fetch-max-wait must be between 0 and 2147483647 ms, found"
                                + " PT-0.001S");
        assertThatThrownBy(() -> new KafkaLatency(Duration.ZERO, Duration.ofSeconds(-2), 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inctrl.kafka.linger must be between 0 and 2147483647 ms, found PT-2S");
        assertThatThrownBy(() -> new KafkaLatency(Duration.ZERO, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the largest record must be between 1 byte and 2147418111 bytes, found 0");
    }
}
