package io.inctrlstream.job.io;

import io.inctrlstream.job.InspectionJobOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The seven Kafka topic names of one inspection job: what the job reads and writes, and what its
 * clients (the launcher, the end-to-end tests) produce to and consume from. Defaults are the job's
 * option defaults ({@link InspectionJobOptions}), with an optional prefix.
 *
 * @param frames the topic of the camera frames
 * @param control the topic of the control commands
 * @param scores the topic of the frames' scores
 * @param alerts the topic of the alerts
 * @param controlEvents the topic of the commands' control events
 * @param deadLetters the topic of the dead letters
 * @param lineState the compacted topic of the lines' applied state
 */
public record InspectionTopics(
        String frames,
        String control,
        String scores,
        String alerts,
        String controlEvents,
        String deadLetters,
        String lineState) {
    public InspectionTopics {
        for (String topic :
                new String[] {
                    frames, control, scores, alerts, controlEvents, deadLetters, lineState
                }) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topic names must not be empty");
            }
        }
    }

    /** The job's default names with a prefix ("" for none). */
    public static InspectionTopics withPrefix(String prefix) {
        return new InspectionTopics(
                prefix + InspectionJobOptions.FRAMES_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.CONTROL_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.SCORES_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.ALERTS_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.CONTROL_EVENTS_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.DEAD_LETTERS_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.LINE_STATE_TOPIC.defaultValue());
    }

    /** The topics the job's options name ({@code inctrl.topics.*}). */
    public static InspectionTopics from(ReadableConfig config) {
        return new InspectionTopics(
                config.get(InspectionJobOptions.FRAMES_TOPIC),
                config.get(InspectionJobOptions.CONTROL_TOPIC),
                config.get(InspectionJobOptions.SCORES_TOPIC),
                config.get(InspectionJobOptions.ALERTS_TOPIC),
                config.get(InspectionJobOptions.CONTROL_EVENTS_TOPIC),
                config.get(InspectionJobOptions.DEAD_LETTERS_TOPIC),
                config.get(InspectionJobOptions.LINE_STATE_TOPIC));
    }

    /** Every topic: frames, control, scores, alerts, control events, dead letters, line state. */
    public List<String> all() {
        return List.of(frames, control, scores, alerts, controlEvents, deadLetters, lineState);
    }

    /** Every topic, in the order of {@link #all()}, with a partition count for creating them. */
    public Map<String, Integer> withPartitions(int partitions) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : all()) {
            topics.put(topic, partitions);
        }
        return topics;
    }

    /** Sets the job's topic options to these topics. */
    public void applyTo(Configuration config) {
        config.set(InspectionJobOptions.FRAMES_TOPIC, frames);
        config.set(InspectionJobOptions.CONTROL_TOPIC, control);
        config.set(InspectionJobOptions.SCORES_TOPIC, scores);
        config.set(InspectionJobOptions.ALERTS_TOPIC, alerts);
        config.set(InspectionJobOptions.CONTROL_EVENTS_TOPIC, controlEvents);
        config.set(InspectionJobOptions.DEAD_LETTERS_TOPIC, deadLetters);
        config.set(InspectionJobOptions.LINE_STATE_TOPIC, lineState);
    }
}
