package io.inctrlstream.it;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;

/**
 * The six topics of one test, with a name prefix of their own so that tests sharing the broker
 * never read each other's records. Every topic has {@link #PARTITIONS} partitions, so that two
 * lines can land on different partitions and source subtasks.
 *
 * @param frames the frames topic
 * @param control the control topic
 * @param scores the scores topic
 * @param alerts the alerts topic
 * @param controlEvents the control events topic
 * @param deadLetters the dead letters topic
 */
public record Topics(
        String frames,
        String control,
        String scores,
        String alerts,
        String controlEvents,
        String deadLetters) {
    static final int PARTITIONS = 2;

    /** Creates the topics of a test named {@code name} (a unique suffix is added). */
    public static Topics create(EmbeddedKafkaBroker broker, String name) throws IOException {
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Topics topics =
                new Topics(
                        prefix + "frames",
                        prefix + "control",
                        prefix + "scores",
                        prefix + "alerts",
                        prefix + "control-events",
                        prefix + "dead-letters");
        broker.createTopics(
                Map.of(
                        topics.frames, PARTITIONS,
                        topics.control, PARTITIONS,
                        topics.scores, PARTITIONS,
                        topics.alerts, PARTITIONS,
                        topics.controlEvents, PARTITIONS,
                        topics.deadLetters, PARTITIONS));
        return topics;
    }

    /** Sets the job's topic options to these topics. */
    void configure(Configuration config) {
        config.set(InspectionJobOptions.FRAMES_TOPIC, frames);
        config.set(InspectionJobOptions.CONTROL_TOPIC, control);
        config.set(InspectionJobOptions.SCORES_TOPIC, scores);
        config.set(InspectionJobOptions.ALERTS_TOPIC, alerts);
        config.set(InspectionJobOptions.CONTROL_EVENTS_TOPIC, controlEvents);
        config.set(InspectionJobOptions.DEAD_LETTERS_TOPIC, deadLetters);
    }
}
