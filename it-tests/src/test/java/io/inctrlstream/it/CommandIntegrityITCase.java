package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.schema.AnomalyScore;
import io.inctrlstream.schema.ControlCommand;
import io.inctrlstream.schema.ControlEvent;
import io.inctrlstream.schema.ControlOutcome;
import io.inctrlstream.schema.DeadLetter;
import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.RecordIds;
import io.inctrlstream.schema.ScoreStatus;
import io.inctrlstream.schema.signing.CommandSignatures;
import io.inctrlstream.schema.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key and command integrity end to end, with signatures required: a frame and a command keyed by
 * another line are dead letters (KEY_MISMATCH) and reach no line; a signed command is applied and
 * its ControlEvent names the principal and the key; unsigned and forged commands are REJECTED with
 * the reason and change nothing; frames after all of it are scored against the signed shots.
 */
@ExtendWith(SharedKafka.class)
@Timeout(180)
class CommandIntegrityITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobUnderTest.miniCluster();

    private static final String LINE = "line-signed";
    private static final SigningKey KEY = SigningKey.of("ops-1", secret(1));
    private static final SigningKey FORGER = SigningKey.of("ops-1", secret(2));

    @TempDir Path dir;

    private static byte[] secret(int seed) {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (seed * 17 + i * 3);
        }
        return secret;
    }

    /** A command record keyed {@code keyLine}, naming {@code principal}, signed by {@code key}. */
    private static ProducerRecord<byte[], byte[]> command(
            InspectionTopics topics,
            String keyLine,
            ControlCommand command,
            String principal,
            SigningKey key) {
        byte[] recordKey = RecordIds.lineKey(keyLine);
        byte[] value = Records.encode(command);
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topics.control(), recordKey, value);
        byte[] principalBytes =
                principal == null ? null : principal.getBytes(StandardCharsets.UTF_8);
        if (principalBytes != null) {
            record.headers().add(CommandSignatures.PRINCIPAL_HEADER, principalBytes);
        }
        if (key != null) {
            String signature =
                    key.sign(CommandSignatures.signedBytes(recordKey, value, principalBytes))
                            .headerValue();
            record.headers()
                    .add(
                            CommandSignatures.SIGNATURE_HEADER,
                            signature.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    @Test
    void misKeyedRecordsAreDeadLettersAndOnlySignedCommandsApply(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        InspectionTopics topics = TestTopics.create(broker, "command-integrity");
        Path keys = dir.resolve("signing-keys");
        Files.writeString(
                keys, "# test keys\nops-1=" + Base64.getEncoder().encodeToString(secret(1)) + "\n");
        try (JobIo io = new JobIo(broker, topics, false);
                JobUnderTest job =
                        JobUnderTest.builder(broker, topics)
                                .set(InspectionJobOptions.SIGNATURE_KEYS_FILE, keys.toString())
                                .set(InspectionJobOptions.SIGNATURE_REQUIRED, true)
                                .start(cluster)) {
            ControlCommand setShots =
                    Records.command(LINE, "signed-shots", Records.setShots(Records.shots(2, 0)));
            io.input.send(command(topics, LINE, setShots, "User:alice", KEY));
            ControlEvent applied = io.awaitEvent("signed-shots");
            assertThat(applied.getOutcome())
                    .as(applied.getReason())
                    .isEqualTo(ControlOutcome.APPLIED);
            assertThat(applied.getPrincipal()).isEqualTo("User:alice");
            assertThat(applied.getSigningKeyId()).isEqualTo("ops-1");

            io.input.send(
                    command(
                            topics,
                            LINE,
                            Records.command(LINE, "unsigned", Records.setThreshold(0.01)),
                            "User:mallory",
                            null));
            io.input.send(
                    command(
                            topics,
                            LINE,
                            Records.command(LINE, "forged", Records.clearShots()),
                            "User:alice",
                            FORGER));
            RecordMetadata misKeyedCommand =
                    io.input.send(
                            command(
                                    topics,
                                    "line-elsewhere",
                                    Records.command(LINE, "mis-keyed", Records.clearShots()),
                                    "User:alice",
                                    KEY));
            Frame misKeyed = Records.goodFrame(LINE, "mis-keyed-frame");
            RecordMetadata misKeyedFrame =
                    io.input.send(
                            new ProducerRecord<>(
                                    topics.frames(),
                                    RecordIds.lineKey("line-elsewhere"),
                                    Records.encode(misKeyed)));
            Frame good = Records.goodFrame(LINE, "after");
            io.input.frame(good);

            ControlEvent unsigned = io.awaitEvent("unsigned");
            assertThat(unsigned.getOutcome()).isEqualTo(ControlOutcome.REJECTED);
            assertThat(unsigned.getReason())
                    .isEqualTo(
                            "not authenticated: the command is unsigned (no inctrl-signature"
                                    + " header), and the job requires signatures"
                                    + " (inctrl.control.signature.required)");
            assertThat(unsigned.getPrincipal()).as("the claim, recorded").isEqualTo("User:mallory");
            assertThat(unsigned.getSigningKeyId()).isNull();
            ControlEvent forged = io.awaitEvent("forged");
            assertThat(forged.getOutcome()).isEqualTo(ControlOutcome.REJECTED);
            assertThat(forged.getReason())
                    .startsWith("not authenticated: the signature by key \"ops-1\" does not match");
            assertThat(forged.getSigningKeyId()).isNull();
            for (ControlEvent rejected : List.of(unsigned, forged)) {
                assertThat(rejected.getShotsVersion()).isEqualTo(applied.getShotsVersion());
                assertThat(rejected.getShotCount()).isEqualTo(2);
            }

            List<DeadLetter> letters =
                    io.deadLetters.awaitUntil(read -> read.size() >= 2, "two dead letters");
            Map<String, DeadLetter> byTopic =
                    letters.stream().collect(Collectors.toMap(DeadLetter::getSourceTopic, l -> l));
            assertThat(letters).hasSize(2);
            DeadLetter command = byTopic.get(topics.control());
            assertThat(command.getReasonCode()).isEqualTo("KEY_MISMATCH");
            assertThat(command.getOffset()).isEqualTo(misKeyedCommand.offset());
            assertThat(command.getReason())
                    .isEqualTo(
                            "command \"mis-keyed\" of line \"line-signed\" has the key"
                                    + " \"line-elsewhere\", expected the line id \"line-signed\""
                                    + " in UTF-8 (a line's records must share one key, so that"
                                    + " they stay in one partition, in order)");
            DeadLetter frame = byTopic.get(topics.frames());
            assertThat(frame.getReasonCode()).isEqualTo("KEY_MISMATCH");
            assertThat(frame.getOffset()).isEqualTo(misKeyedFrame.offset());
            assertThat(frame.getReason())
                    .startsWith(
                            "frame \"mis-keyed-frame\" of line \"line-signed\" has the key"
                                    + " \"line-elsewhere\"");

            // The frame after it all: scored against the signed shots, with the default threshold.
            AnomalyScore score =
                    io.awaitScores(List.of(good)).stream()
                            .filter(s -> s.getFrameId().equals("after"))
                            .findFirst()
                            .orElseThrow();
            assertThat(score.getStatus()).isEqualTo(ScoreStatus.SCORED);
            assertThat(score.getShotsVersion()).isEqualTo(applied.getShotsVersion());
            assertThat(score.getThreshold())
                    .isEqualTo(InspectionJobOptions.DEFAULT_THRESHOLD.defaultValue());
            assertThat(io.scores.awaitUntil(read -> true, "scores"))
                    .extracting(AnomalyScore::getFrameId)
                    .doesNotContain("mis-keyed-frame");
            assertThat(io.events.awaitUntil(read -> true, "events"))
                    .extracting(ControlEvent::getCommandId)
                    .doesNotContain("mis-keyed");
            assertThat(job.highestAttempt()).isZero();
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
    }
}
