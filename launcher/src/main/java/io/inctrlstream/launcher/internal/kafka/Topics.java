package io.inctrlstream.launcher.internal.kafka;

import io.inctrlstream.job.InspectionJobOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The six topic names the job and the launcher share. Defaults are the job's option defaults, with
 * an optional prefix.
 */
public record Topics(
        String frames,
        String control,
        String scores,
        String alerts,
        String controlEvents,
        String deadLetters) {
    public Topics {
        for (String topic :
                new String[] {frames, control, scores, alerts, controlEvents, deadLetters}) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topic names must not be empty");
            }
        }
    }

    /** The job's default names with a prefix ("" for none). */
    public static Topics withPrefix(String prefix) {
        return new Topics(
                prefix + InspectionJobOptions.FRAMES_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.CONTROL_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.SCORES_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.ALERTS_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.CONTROL_EVENTS_TOPIC.defaultValue(),
                prefix + InspectionJobOptions.DEAD_LETTERS_TOPIC.defaultValue());
    }

    /** Every topic with its partition count for the demo broker. */
    public Map<String, Integer> withPartitions(int partitions) {
        Map<String, Integer> all = new LinkedHashMap<>();
        for (String topic :
                new String[] {frames, control, scores, alerts, controlEvents, deadLetters}) {
            all.put(topic, partitions);
        }
        return all;
    }

    /** Sets the job's topic options. */
    public void applyTo(Configuration config) {
        config.set(InspectionJobOptions.FRAMES_TOPIC, frames);
        config.set(InspectionJobOptions.CONTROL_TOPIC, control);
        config.set(InspectionJobOptions.SCORES_TOPIC, scores);
        config.set(InspectionJobOptions.ALERTS_TOPIC, alerts);
        config.set(InspectionJobOptions.CONTROL_EVENTS_TOPIC, controlEvents);
        config.set(InspectionJobOptions.DEAD_LETTERS_TOPIC, deadLetters);
    }
}
