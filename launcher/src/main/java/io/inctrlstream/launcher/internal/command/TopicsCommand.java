package io.inctrlstream.launcher.internal.command;

import io.inctrlstream.launcher.internal.topics.TopicAdmin;
import io.inctrlstream.launcher.internal.topics.TopicLayout;
import io.inctrlstream.launcher.internal.topics.TopicSpec;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inctrl topics create|check}: the job's topics on a Kafka cluster. */
@Command(
        name = "topics",
        description = "The job's seven topics on a Kafka cluster: create them, or check them.",
        mixinStandardHelpOptions = true,
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Check.class})
public final class TopicsCommand extends ParentCommand {

    /** What create and check share: where, which topics, and the layout's settings. */
    abstract static class LayoutCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin KafkaOptions kafka;

        @Mixin TopicOptions topics;

        @Option(
                names = "--model",
                paramLabel = "DIR",
                required = true,
                description =
                        "The model bundle the job runs: sizes the line-state topic (its largest"
                                + " shot bank).")
        Path model;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "6",
                description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = "--replication-factor",
                paramLabel = "N",
                defaultValue = "3",
                description = "Replication factor (default: ${DEFAULT-VALUE}).")
        int replicationFactor;

        @Option(
                names = "--min-insync-replicas",
                paramLabel = "N",
                defaultValue = "2",
                description = "min.insync.replicas (default: ${DEFAULT-VALUE}).")
        int minInsyncReplicas;

        @Option(
                names = "--frames-retention",
                paramLabel = "DURATION",
                defaultValue = "24h",
                converter = DurationConverter.class,
                description = "How long frames are kept (default: ${DEFAULT-VALUE}).")
        Duration framesRetention;

        @Option(
                names = "--outputs-retention",
                paramLabel = "DURATION",
                defaultValue = "168h",
                converter = DurationConverter.class,
                description =
                        "How long scores, alerts and dead letters are kept (default:"
                                + " ${DEFAULT-VALUE}).")
        Duration outputsRetention;

        @Option(
                names = "-D",
                paramLabel = "KEY=VALUE",
                description =
                        "A job setting the sizes derive from, as given to the job, e.g."
                                + " -Dinctrl.limits.frame-max-bytes=16mb, -Dinctrl.lines.max-shots=8.")
        Map<String, String> settings = new LinkedHashMap<>();

        TopicLayout layout() {
            if (!Files.isRegularFile(model.resolve("manifest.json"))) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--model must be a model bundle folder with a manifest.json, found "
                                + model);
            }
            try {
                return TopicLayout.builder()
                        .topics(topics.topics())
                        .jobSettings(Configuration.fromMap(settings))
                        .model(ModelBundle.load(model).manifest())
                        .partitions(partitions)
                        .replicationFactor(replicationFactor)
                        .minInsyncReplicas(minInsyncReplicas)
                        .framesRetention(framesRetention)
                        .outputsRetention(outputsRetention)
                        .build();
            } catch (ModelException e) {
                throw new IllegalArgumentException(
                        "cannot read the model bundle " + model + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }

        /**
         * Checks every topic, prints one line per topic; exit 0 if all match, else 1. After a
         * create, every topic exists (created or found): the check waits for the metadata to show
         * them.
         */
        int report(
                TopicAdmin admin, List<TopicSpec> specs, List<String> created, boolean afterCreate)
                throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, List<String>> differences =
                    admin.check(
                            specs,
                            afterCreate ? specs.stream().map(TopicSpec::name).toList() : List.of());
            int differing = 0;
            for (TopicSpec topic : specs) {
                List<String> found = differences.get(topic.name());
                String verdict =
                        found.isEmpty()
                                ? (created.contains(topic.name()) ? "created" : "ok")
                                : "DIFFERS: " + String.join("; ", found);
                if (!found.isEmpty()) {
                    differing++;
                }
                out.printf(
                        "%-16s %-24s partitions %d, replicas %d, %s  %s%n",
                        topic.role(),
                        topic.name(),
                        topic.partitions(),
                        topic.replicationFactor(),
                        topic.configs(),
                        verdict);
            }
            out.flush();
            if (differing > 0) {
                throw new IllegalStateException(
                        differing
                                + " of "
                                + specs.size()
                                + " topics differ from what the job needs (see above)");
            }
            return ExitCodes.OK;
        }
    }

    /** {@code inctrl topics create}. */
    @Command(
            name = "create",
            description = {
                "Creates the job's topics that do not exist yet, then checks all of them.",
                "Exit code 1 when an existing topic differs (it is not changed)."
            },
            mixinStandardHelpOptions = true)
    static final class Create extends LayoutCommand {
        @Override
        public Integer call() throws Exception {
            List<TopicSpec> specs = layout().topics();
            try (TopicAdmin admin = new TopicAdmin(kafka.settings(spec))) {
                List<String> created = admin.createMissing(specs);
                return report(admin, specs, created, true);
            }
        }
    }

    /** {@code inctrl topics check}. */
    @Command(
            name = "check",
            description = {
                "Checks the job's topics: partitions, replication factor, cleanup.policy,"
                        + " min.insync.replicas and retention.ms as given, max.message.bytes at"
                        + " least what the job's limits need.",
                "Exit code 1 when a topic is missing or differs."
            },
            mixinStandardHelpOptions = true)
    static final class Check extends LayoutCommand {
        @Override
        public Integer call() throws Exception {
            List<TopicSpec> specs = layout().topics();
            try (TopicAdmin admin = new TopicAdmin(kafka.settings(spec))) {
                return report(admin, specs, List.of(), false);
            }
        }
    }
}
