package io.inctrlstream.launcher.internal.topics;

import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.SingleNodeKafka;
import io.inctrlstream.model.BundleManifest;
import io.inctrlstream.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Creates a job's topics on the single embedded broker of the demo, the soak and the pipeline bench
 * with the settings {@code inctrl topics create} gives them on a cluster ({@link TopicLayout}: the
 * line-state topic compacted and sized for the largest line state, frames and commands up to the
 * job's limits), replication factor 1. So the job's start-up check, which refuses a line-state
 * topic that is not compacted, holds there as it does on a cluster.
 */
public final class LocalTopics {
    private LocalTopics() {}

    /**
     * Creates {@code names} with {@code partitions} partitions each.
     *
     * @param job the job's settings the topic sizes derive from
     * @param bundle the model bundle the job runs (its manifest sizes the line-state topic)
     * @throws IOException if the manifest cannot be read or the broker refuses a topic
     */
    public static TopicLayout create(
            SingleNodeKafka broker,
            InspectionTopics names,
            ReadableConfig job,
            Path bundle,
            int partitions)
            throws IOException {
        BundleManifest manifest;
        try {
            manifest = BundleManifest.parse(Files.readAllBytes(bundle.resolve("manifest.json")));
        } catch (ModelException e) {
            throw new IOException("the manifest of the model bundle " + bundle + ": " + e, e);
        }
        TopicLayout layout =
                TopicLayout.builder()
                        .topics(names)
                        .jobSettings(job)
                        .model(manifest)
                        .partitions(partitions)
                        .replicationFactor(1)
                        .minInsyncReplicas(1)
                        .build();
        Map<String, Integer> partitionsByTopic = new LinkedHashMap<>();
        Map<String, Map<String, String>> configsByTopic = new LinkedHashMap<>();
        for (TopicSpec topic : layout.topics()) {
            partitionsByTopic.put(topic.name(), topic.partitions());
            configsByTopic.put(topic.name(), topic.configs());
        }
        broker.createTopics(partitionsByTopic, configsByTopic);
        return layout;
    }
}
