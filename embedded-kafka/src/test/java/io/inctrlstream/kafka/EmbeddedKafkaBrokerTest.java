package io.inctrlstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @TempDir Path tempDir;

    @Test
    void rejectsAPortOutOfRange() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(70000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a port in 0..65535 (0: any free port), found 70000");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found -1");
    }

    @Test
    void rejectsSettingsTheBrokerOwns() {
        assertThatThrownBy(
                        () ->
                                EmbeddedKafkaBroker.builder()
                                        .brokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(the embedded broker sets them), found 'listeners'");
    }

    @Test
    void rejectsANonEmptyLogDirectory() throws IOException {
        Files.writeString(tempDir.resolve("leftover"), "x");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().logDirectory(tempDir).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a new or empty log directory, found files in " + tempDir);
    }

    @Test
    void rejectsAFileAsLogDirectory() throws IOException {
        Path file = Files.writeString(tempDir.resolve("file"), "x");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().logDirectory(file).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a log directory, found a file at " + file);
    }

    @Test
    void lifecycleMisuseFailsClearly() throws IOException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
        assertThatThrownBy(broker::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "expected a running broker for bootstrapServers(), found one that is not started");
        broker.close();
        assertThatThrownBy(broker::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("expected a broker that was never started, found one that is closed");
        assertThatThrownBy(() -> broker.createTopics(Map.of("t", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("found one that is closed");
    }

    @Test
    void singleNodeDefaultsMakeGroupsAndTransactionsWork() {
        assertThat(EmbeddedKafkaBroker.SINGLE_NODE_DEFAULTS)
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }
}
