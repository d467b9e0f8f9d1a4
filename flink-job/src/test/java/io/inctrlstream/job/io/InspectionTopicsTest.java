package io.inctrlstream.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.InspectionJobOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

class InspectionTopicsTest {
    @Test
    void prefixedNamesAreTheJobDefaultsAndConfigureTheJob() {
        InspectionTopics topics = InspectionTopics.withPrefix("p.");

        assertThat(topics.all())
                .containsExactly(
                        "p." + InspectionJobOptions.FRAMES_TOPIC.defaultValue(),
                        "p." + InspectionJobOptions.CONTROL_TOPIC.defaultValue(),
                        "p." + InspectionJobOptions.SCORES_TOPIC.defaultValue(),
                        "p." + InspectionJobOptions.ALERTS_TOPIC.defaultValue(),
                        "p." + InspectionJobOptions.CONTROL_EVENTS_TOPIC.defaultValue(),
                        "p." + InspectionJobOptions.DEAD_LETTERS_TOPIC.defaultValue(),
                        "p." + InspectionJobOptions.LINE_STATE_TOPIC.defaultValue());
        assertThat(topics.withPartitions(3).keySet()).containsExactlyElementsOf(topics.all());
        assertThat(topics.withPartitions(3).values()).containsOnly(3);

        Configuration config = new Configuration();
        topics.applyTo(config);
        assertThat(config.get(InspectionJobOptions.FRAMES_TOPIC)).isEqualTo(topics.frames());
        assertThat(config.get(InspectionJobOptions.CONTROL_TOPIC)).isEqualTo(topics.control());
        assertThat(config.get(InspectionJobOptions.SCORES_TOPIC)).isEqualTo(topics.scores());
        assertThat(config.get(InspectionJobOptions.ALERTS_TOPIC)).isEqualTo(topics.alerts());
        assertThat(config.get(InspectionJobOptions.CONTROL_EVENTS_TOPIC))
                .isEqualTo(topics.controlEvents());
        assertThat(config.get(InspectionJobOptions.DEAD_LETTERS_TOPIC))
                .isEqualTo(topics.deadLetters());
        assertThat(config.get(InspectionJobOptions.LINE_STATE_TOPIC)).isEqualTo(topics.lineState());
    }

    @Test
    void theLargestLineStateIsTheRecordLimitHoweverSmallTheModelsBank() {
        Configuration config = new Configuration();
        config.set(
                InspectionJobOptions.MODEL_BUNDLE,
                java.nio.file.Path.of("../model-runtime/bundles/inctrl-tiny").toString());
        config.set(InspectionJobOptions.MAX_SHOTS_PER_LINE, 2);
        assertThat(InspectionTopics.largestLineStateRecord(config))
                .as(
                        "two shots of the tiny model are 174 kB of bank, but their images can fill"
                                + " the record up to its limit")
                .isEqualTo(
                        InspectionJobOptions.LINE_STATE_MAX_RECORD_BYTES.defaultValue().getBytes());
        config.set(InspectionJobOptions.LINE_STATE_MAX_RECORD_BYTES, MemorySize.parse("3mb"));
        assertThat(InspectionTopics.largestLineStateRecord(config)).isEqualTo(3L << 20);
    }

    @Test
    void rejectsEmptyNames() {
        assertThatThrownBy(() -> new InspectionTopics("frames", "control", " ", "a", "c", "d", "l"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic names must not be empty");
    }
}
