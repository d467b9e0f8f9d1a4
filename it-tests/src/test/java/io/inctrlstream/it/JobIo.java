package io.inctrlstream.it;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.schema.AnomalyAlert;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.codec.AvroCodec;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A test's ends of the job: a producer of frames and commands, and readers of the four output
 * topics, all committed-only (what an exactly-once consumer sees) or all uncommitted.
 */
final class JobIo implements AutoCloseable {
    final InputProducer input;
    final OutputReader<AnomalyScore> scores;
    final OutputReader<ControlEvent> events;
    final OutputReader<DeadLetter> deadLetters;
    final OutputReader<AnomalyAlert> alerts;

    JobIo(EmbeddedKafkaBroker broker, InspectionTopics topics, boolean readCommitted) {
        String servers = broker.bootstrapServers();
        input = new InputProducer(servers, topics);
        scores = reader(servers, topics.scores(), AvroCodec.anomalyScores(), readCommitted);
        events = reader(servers, topics.controlEvents(), AvroCodec.controlEvents(), readCommitted);
        deadLetters = reader(servers, topics.deadLetters(), AvroCodec.deadLetters(), readCommitted);
        alerts = reader(servers, topics.alerts(), AvroCodec.anomalyAlerts(), readCommitted);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> OutputReader<T> reader(
            String servers, String topic, AvroCodec<T> codec, boolean readCommitted) {
        return readCommitted
                ? OutputReader.committed(servers, topic, codec)
                : OutputReader.uncommitted(servers, topic, codec);
    }

    /** Sends the command and returns its control event, once the job wrote it. */
    ControlEvent apply(ControlCommand command) {
        input.command(command);
        return awaitEvent(command.getCommandId());
    }

    /** The control event of the command, once the job wrote it. */
    ControlEvent awaitEvent(String commandId) {
        return events
                .awaitUntil(
                        read -> read.stream().anyMatch(e -> e.getCommandId().equals(commandId)),
                        "the control event of command " + commandId)
                .stream()
                .filter(e -> e.getCommandId().equals(commandId))
                .findFirst()
                .orElseThrow();
    }

    /** Sends the frames in order. */
    void send(Collection<Frame> frames) {
        frames.forEach(input::frame);
    }

    /** Waits until each of the frames has at least one score; returns all scores read so far. */
    List<AnomalyScore> awaitScores(Collection<Frame> frames) {
        Set<String> expected =
                frames.stream()
                        .map(f -> f.getLineId() + "/" + f.getFrameId())
                        .collect(Collectors.toSet());
        return scores.awaitUntil(
                read -> {
                    Set<String> missing = new HashSet<>(expected);
                    read.forEach(s -> missing.remove(s.getLineId() + "/" + s.getFrameId()));
                    return missing.isEmpty();
                },
                "scores of " + expected.size() + " frames " + expected);
    }

    @Override
    public void close() {
        input.close();
        scores.close();
        events.close();
        deadLetters.close();
        alerts.close();
    }
}
