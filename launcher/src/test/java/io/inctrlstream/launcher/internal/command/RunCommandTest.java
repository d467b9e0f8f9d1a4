package io.inctrlstream.launcher.internal.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.launcher.CliRun;
import io.inctrlstream.launcher.internal.BundleLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inctrl run} without --local: how to submit the job to a Flink cluster. */
class RunCommandTest {

    @Test
    void printsTheFlinkRunCommandWithEveryJobOption() {
        CliRun run =
                CliRun.of(
                        "run",
                        "--bootstrap-servers",
                        "kafka-1:9093,kafka-2:9093",
                        "--topic-prefix",
                        "plant7.",
                        "--scores-topic",
                        "quality.scores",
                        "--group-id",
                        "inspection-7",
                        "--delivery-guarantee",
                        "exactly_once",
                        "--checkpoint-interval",
                        "1m",
                        "--gpu",
                        "--kafka-property",
                        "security.protocol=SASL_SSL",
                        "--kafka-property",
                        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                                + " required username=\"u\" password=\"p\";",
                        "-Dinctrl.inference.batch-size=16");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("flink run -c io.inctrlstream.job.InspectionJob ")
                .contains("--inctrl.kafka.bootstrap-servers kafka-1:9093,kafka-2:9093 \\")
                .contains("--inctrl.kafka.properties.security.protocol SASL_SSL \\")
                .contains(
                        "--inctrl.kafka.properties.sasl.jaas.config '<inctrl.kafka.properties.sasl.jaas.config>' \\")
                .contains("--inctrl.topics.frames plant7.frames \\")
                .contains("--inctrl.topics.scores quality.scores \\")
                .contains("--inctrl.topics.dead-letters plant7.dead-letters \\")
                .contains("--inctrl.model.bundle " + BundleLocator.tinyBundle() + " \\")
                .contains("--inctrl.model.device CUDA \\")
                .contains("--inctrl.kafka.group-id inspection-7 \\")
                .contains("--inctrl.sink.delivery-guarantee EXACTLY_ONCE \\")
                .contains("--inctrl.checkpoint.interval '60000 ms' \\")
                .contains("--inctrl.inference.batch-size 16\n")
                .contains("Fill in the masked values")
                .doesNotContain("password=");
    }

    @Test
    void secretsAreRecognisedByName() {
        assertThat(RunCommand.isSecret("inctrl.kafka.properties.ssl.keystore.password")).isTrue();
        assertThat(RunCommand.isSecret("inctrl.kafka.properties.sasl.jaas.config")).isTrue();
        assertThat(RunCommand.isSecret("inctrl.kafka.properties.ssl.key")).isTrue();
        assertThat(RunCommand.isSecret("inctrl.kafka.properties.security.protocol")).isFalse();
    }

    @Test
    void resumeFindsTheLatestCompleteCheckpointOfTheFolder(@TempDir Path folder) throws Exception {
        assertThat(RunCommand.latestCheckpoint(folder.resolve("none"))).isEmpty();
        assertThat(RunCommand.latestCheckpoint(folder)).isEmpty();

        Path older = Files.createDirectories(folder.resolve("job-a/chk-7"));
        Files.writeString(older.resolve("_metadata"), "m");
        older.resolve("_metadata").toFile().setLastModified(1_000_000L);
        Path newer = Files.createDirectories(folder.resolve("job-b/chk-3"));
        Files.writeString(newer.resolve("_metadata"), "m");
        Files.createDirectories(folder.resolve("job-b/chk-4")); // in progress: no _metadata
        Files.createDirectories(folder.resolve("job-b/shared"));

        assertThat(RunCommand.latestCheckpoint(folder)).contains(newer);
    }
}
