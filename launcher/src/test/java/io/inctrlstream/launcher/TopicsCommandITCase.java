package io.inctrlstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import io.inctrlstream.launcher.internal.BundleLocator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code inctrl topics create|check} against a real (embedded, single-node) Kafka broker. */
@ExtendWith(SharedKafka.class)
class TopicsCommandITCase {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void useTheSharedBroker(EmbeddedKafkaBroker shared) {
        broker = shared;
    }

    private static CliRun topics(String command, String prefix, String... more) {
        return topics(command, prefix, 2, 1, more);
    }

    private static CliRun topics(
            String command, String prefix, int partitions, int minInsync, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "topics",
                                command,
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--topic-prefix",
                                prefix,
                                "--model",
                                BundleLocator.tinyBundle().toString(),
                                "--replication-factor",
                                "1",
                                "--min-insync-replicas",
                                Integer.toString(minInsync),
                                "--partitions",
                                Integer.toString(partitions)));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void createsTheTopicsOnceAndChecksThem() throws Exception {
        CliRun first = topics("create", "tc1.");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out().lines()).hasSize(7).allMatch(line -> line.endsWith("created"));

        CliRun again = topics("create", "tc1.");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out().lines()).hasSize(7).allMatch(line -> line.endsWith("ok"));

        CliRun check = topics("check", "tc1.");
        assertThat(check.exitCode()).as(check.toString()).isZero();

        // What the broker holds is what the layout said.
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            ConfigResource lineState =
                    new ConfigResource(ConfigResource.Type.TOPIC, "tc1.line-state");
            ConfigResource control = new ConfigResource(ConfigResource.Type.TOPIC, "tc1.control");
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(lineState, control))
                            .all()
                            .get(30, TimeUnit.SECONDS);
            assertThat(configs.get(lineState).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(control).get("retention.ms").value()).isEqualTo("-1");
            assertThat(Long.parseLong(configs.get(control).get("max.message.bytes").value()))
                    .isEqualTo(64L * 1024 * 1024 + 64 * 1024);
        }
    }

    @Test
    void checkNamesWhatDiffersAndFails() {
        assertThat(topics("create", "tc2.").exitCode()).isZero();

        CliRun differs = topics("check", "tc2.", 3, 1, "-Dinctrl.limits.frame-max-bytes=32mb");
        assertThat(differs.exitCode()).as(differs.toString()).isEqualTo(1);
        assertThat(differs.out())
                .contains("partitions 2, expected 3")
                .containsPattern(
                        "tc2\\.frames .*max\\.message\\.bytes 8454144, expected at least 33619968");
        assertThat(differs.firstErrorLine())
                .isEqualTo(
                        "error: topics check: 7 of 7 topics differ from what the job needs (see"
                                + " above)");

        CliRun missing = topics("check", "tc-none.");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out().lines())
                .hasSize(7)
                .allMatch(line -> line.endsWith("DIFFERS: missing"));
    }

    @Test
    void badSettingsAreUsageErrors() {
        CliRun run = topics("create", "tc3.", 2, 2);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .isEqualTo(
                        "error: min.insync.replicas must be in [1, replication factor 1], found 2");
        CliRun noModel = CliRun.of("topics", "check");
        assertThat(noModel.exitCode()).isEqualTo(2);
        assertThat(noModel.firstErrorLine()).contains("--model");
    }
}
