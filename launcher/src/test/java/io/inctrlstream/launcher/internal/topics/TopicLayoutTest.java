package io.inctrlstream.launcher.internal.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.launcher.internal.BundleLocator;
import io.inctrlstream.model.BankPrecision;
import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ShotBankCodec;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

class TopicLayoutTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void sizesEachTopicFromTheJobsLimitsAndModel() throws Exception {
        BundleManifest tiny = ModelBundle.load(BundleLocator.tinyBundle()).manifest();
        Map<String, TopicSpec> topics = byRole(TopicLayout.builder().model(tiny).build());

        assertThat(topics.keySet())
                .containsExactly(
                        "frames",
                        "control",
                        "scores",
                        "alerts",
                        "control events",
                        "dead letters",
                        "line state");
        assertThat(topics.get("frames").name()).isEqualTo("frames");
        assertThat(topics.get("frames").maxMessageBytes())
                .as("the default 8 mb frame limit plus room for key, headers and framing")
                .isEqualTo(8 * MIB + TopicLayout.RECORD_OVERHEAD);
        assertThat(topics.get("control").maxMessageBytes())
                .isEqualTo(64 * MIB + TopicLayout.RECORD_OVERHEAD);
        assertThat(topics.get("line state").maxMessageBytes())
                .as(
                        "the 48 mb line-state limit (a line's bank and its shot images), not the"
                                + " tiny model's 16-shot bank alone")
                .isEqualTo(48 * MIB + TopicLayout.RECORD_OVERHEAD)
                .isGreaterThan(
                        ShotBankCodec.maxEncodedSize(tiny, 16, BankPrecision.FP32)
                                + TopicLayout.RECORD_OVERHEAD);
        assertThat(Long.toString(topics.get("line state").maxMessageBytes()))
                .as("what the job's start-up check asks of the line-state topic")
                .isEqualTo(
                        InspectionTopics.lineStateTopicConfig(
                                        InspectionTopics.largestLineStateRecord(
                                                new Configuration()))
                                .get("max.message.bytes"));
        assertThat(topics.get("line state").configs())
                .containsEntry(TopicSpec.CLEANUP_POLICY, "compact")
                .doesNotContainKey(TopicSpec.RETENTION_MS);
        assertThat(topics.get("control").configs())
                .containsEntry(TopicSpec.CLEANUP_POLICY, "delete")
                .containsEntry(TopicSpec.RETENTION_MS, "-1");
        assertThat(topics.get("control events").configs())
                .containsEntry(TopicSpec.RETENTION_MS, "-1");
        assertThat(topics.get("frames").configs())
                .containsEntry(
                        TopicSpec.RETENTION_MS, Long.toString(Duration.ofDays(1).toMillis()));
        assertThat(topics.values())
                .allSatisfy(
                        topic -> {
                            assertThat(topic.partitions()).isEqualTo(6);
                            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
                            assertThat(topic.configs())
                                    .containsEntry(TopicSpec.MIN_INSYNC_REPLICAS, "2");
                            assertThat(topic.maxMessageBytes())
                                    .isGreaterThanOrEqualTo(
                                            TopicLayout.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
                        });
    }

    @Test
    void followsTheJobSettingsAndNames() throws Exception {
        BundleManifest tiny = ModelBundle.load(BundleLocator.tinyBundle()).manifest();
        Configuration job = new Configuration();
        job.set(InspectionJobOptions.FRAME_MAX_BYTES, MemorySize.parse("20mb"));
        job.set(InspectionJobOptions.MAX_SHOTS_PER_LINE, 64);
        job.set(InspectionJobOptions.BANK_PRECISION, BankPrecision.FP16);
        job.set(InspectionJobOptions.LINE_STATE_MAX_RECORD_BYTES, MemorySize.parse("100mb"));
        Map<String, TopicSpec> topics =
                byRole(
                        TopicLayout.builder()
                                .topics(InspectionTopics.withPrefix("plant1."))
                                .jobSettings(job)
                                .model(tiny)
                                .partitions(12)
                                .replicationFactor(1)
                                .minInsyncReplicas(1)
                                .build());

        assertThat(topics.get("frames").name()).isEqualTo("plant1.frames");
        assertThat(topics.get("frames").maxMessageBytes())
                .isEqualTo(20 * MIB + TopicLayout.RECORD_OVERHEAD);
        assertThat(topics.get("line state").maxMessageBytes())
                .as("inctrl.line-state.max-record-bytes, whatever the shots and their precision")
                .isEqualTo(100 * MIB + TopicLayout.RECORD_OVERHEAD);
        assertThat(topics.get("scores").partitions()).isEqualTo(12);
        assertThat(topics.get("scores").configs())
                .containsEntry(TopicSpec.MIN_INSYNC_REPLICAS, "1");
    }

    @Test
    void refusesInconsistentSettings() throws Exception {
        BundleManifest tiny = ModelBundle.load(BundleLocator.tinyBundle()).manifest();
        assertThatThrownBy(() -> TopicLayout.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model bundle's manifest is needed to size the line-state topic");
        assertThatThrownBy(
                        () ->
                                TopicLayout.builder()
                                        .model(tiny)
                                        .replicationFactor(2)
                                        .minInsyncReplicas(3)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min.insync.replicas must be in [1, replication factor 2], found 3");
        assertThatThrownBy(() -> TopicLayout.builder().model(tiny).partitions(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitions must be positive, found 0");
        assertThatThrownBy(() -> TopicLayout.builder().replicationFactor(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replication factor must be in [1, 32767], found 0");
    }

    private static Map<String, TopicSpec> byRole(TopicLayout layout) {
        return layout.topics().stream()
                .collect(
                        Collectors.toMap(
                                TopicSpec::role,
                                Function.identity(),
                                (a, b) -> a,
                                java.util.LinkedHashMap::new));
    }
}
