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
    /**
     * What a Kafka record batch of one line-state record needs besides its key and value (headers,
     * with ample room): the line-state producer's {@code max.request.size} and the topic's {@code
     * max.message.bytes} are the largest line state plus this.
     */
    public static final long LINE_STATE_RECORD_OVERHEAD_BYTES = 64 * 1024;

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

    /**
     * The topic settings the line-state topic needs: compacted, and records of a line's whole state
     * (its bank included) up to {@code maxRecordBytes} plus the record framing.
     */
    public static Map<String, String> lineStateTopicConfig(long maxRecordBytes) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException(
                    "the largest line-state record must be at least 1 byte, found "
                            + maxRecordBytes);
        }
        return Map.of(
                "cleanup.policy",
                "compact",
                "max.message.bytes",
                Long.toString(maxRecordBytes + LINE_STATE_RECORD_OVERHEAD_BYTES));
    }

    /**
     * The largest line-state record the job may write: {@code inctrl.line-state.max-record-bytes},
     * whatever the model. A record holds the line's bank and, where they fit within that limit, its
     * shot images too, so a line at its most shots can fill the limit however small the model's
     * bank is (the images are the part a bank-sized bound leaves out).
     */
    public static long largestLineStateRecord(ReadableConfig job) {
        return job.get(InspectionJobOptions.LINE_STATE_MAX_RECORD_BYTES).getBytes();
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
