package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.job.io.InspectionTopics;
import picocli.CommandLine.Option;

/** Topic names: the job's defaults, an optional prefix, or each one by name. */
public final class TopicOptions {
    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = "",
            description =
                    "Prefix of the default topic names (frames, control, scores, alerts,"
                            + " control-events, dead-letters).")
    String prefix;

    @Option(names = "--frames-topic", paramLabel = "TOPIC", description = "Frames topic.")
    String frames;

    @Option(names = "--control-topic", paramLabel = "TOPIC", description = "Control topic.")
    String control;

    @Option(names = "--scores-topic", paramLabel = "TOPIC", description = "Scores topic.")
    String scores;

    @Option(names = "--alerts-topic", paramLabel = "TOPIC", description = "Alerts topic.")
    String alerts;

    @Option(
            names = "--control-events-topic",
            paramLabel = "TOPIC",
            description = "Control events topic.")
    String controlEvents;

    @Option(
            names = "--dead-letters-topic",
            paramLabel = "TOPIC",
            description = "Dead letters topic.")
    String deadLetters;

    @Option(
            names = "--line-state-topic",
            paramLabel = "TOPIC",
            description = "Line state topic (compacted).")
    String lineState;

    /** The topic names. */
    public InspectionTopics topics() {
        InspectionTopics defaults = InspectionTopics.withPrefix(prefix);
        return new InspectionTopics(
                or(frames, defaults.frames()),
                or(control, defaults.control()),
                or(scores, defaults.scores()),
                or(alerts, defaults.alerts()),
                or(controlEvents, defaults.controlEvents()),
                or(deadLetters, defaults.deadLetters()),
                or(lineState, defaults.lineState()));
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
