package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.launcher.internal.command.ExitCodes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code inctrl run --local} against a real broker that lacks some of the job's topics: it stops
 * before starting Flink, with one line naming the servers and the missing topics and exit code 6,
 * instead of a job that restart-loops.
 */
@ExtendWith(SharedKafka.class)
class StartupCheckITCase {
    @Test
    void runLocalWithMissingTopicsNamesThemAndDoesNotStart(EmbeddedKafkaBroker broker)
            throws Exception {
        InspectionTopics topics = InspectionTopics.withPrefix("check.");
        Map<String, Integer> present = new LinkedHashMap<>(topics.withPartitions(1));
        present.remove(topics.frames());
        present.remove(topics.lineState());
        broker.createTopics(present);

        CliRun run = runLocal(broker, "check.");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.KAFKA_NOT_READY);
        assertThat(run.err().lines()).as(run.toString()).hasSize(1);
        assertThat(run.firstErrorLine())
                .isEqualTo(
                        "error: run: Kafka at "
                                + broker.bootstrapServers()
                                + " has no topics check.frames, check.line-state (create"
                                + " them before starting the job)");
        assertThat(run.out()).doesNotContain("running");
    }

    @Test
    void runLocalWithALineStateTopicThatIsNotCompactedRefusesToStart(EmbeddedKafkaBroker broker)
            throws Exception {
        InspectionTopics topics = InspectionTopics.withPrefix("plain.");
        broker.createTopics(topics.withPartitions(1)); // all of them, none compacted

        CliRun run = runLocal(broker, "plain.");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.KAFKA_NOT_READY);
        assertThat(run.firstErrorLine())
                .isEqualTo(
                        "error: run: Kafka at "
                                + broker.bootstrapServers()
                                + ": the line-state topic plain.line-state has"
                                + " cleanup.policy=delete, so a line's state would be deleted"
                                + " after the topic's retention; it must be compacted"
                                + " (cleanup.policy=compact, as inctrl topics create makes it)");
        assertThat(run.out()).doesNotContain("running");
    }

    private static CliRun runLocal(EmbeddedKafkaBroker broker, String topicPrefix)
            throws Exception {
        return CliRun.of(
                "run",
                "--local",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--topic-prefix",
                topicPrefix,
                "--dashboard-port",
                "0");
    }
}
