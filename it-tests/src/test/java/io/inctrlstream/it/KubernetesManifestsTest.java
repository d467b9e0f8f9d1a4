package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.inctrlstream.job.InspectionJobOptions;
import io.inctrlstream.job.io.InspectionTopics;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in deploy/kubernetes parsed strictly into the model classes of the operator that
 * reads it: the Flink Kubernetes Operator's FlinkDeployment (flink-kubernetes-operator-api), the
 * fabric8 Kubernetes model its pod templates are, Strimzi's KafkaTopic and KafkaUser (io.strimzi
 * api), the Prometheus Operator's PodMonitor (fabric8's monitoring model). A property a class does
 * not have fails the test, also where the model would keep it aside (fabric8's and Strimzi's
 * classes collect unknown properties in an {@code additionalProperties} map instead of failing),
 * and so does every key of the Flink configuration that neither the job ({@link
 * InspectionJobOptions}) nor Flink's option classes declare.
 */
class KubernetesManifestsTest {
    private static final Path MANIFESTS = Path.of("..", "deploy", "kubernetes");

    /**
     * The Flink version the images run. The operator API served here (1.10.0) knows Flink versions
     * up to v1_20, so this one field is checked against this value instead of the model's enum.
     */
    private static final String FLINK_VERSION = "v2_2";

    private static final Map<String, Class<? extends HasMetadata>> MODEL_BY_KIND =
            Map.of(
                    "flink.apache.org/v1beta1/FlinkDeployment", FlinkDeployment.class,
                    "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class,
                    "kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class,
                    "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class);

    /**
     * Flink configuration keys set by other parties than Flink's core option classes: the
     * reporters' own settings, and those of Flink's Kubernetes integration and the operator
     * (flink-kubernetes and the operator are not on this classpath).
     */
    private static final List<String> FOREIGN_KEY_PREFIXES =
            List.of("metrics.reporter.prom.", "kubernetes.operator.", "kubernetes.");

    /**
     * Strict YAML binding. The operator's spec classes say
     * {@code @JsonIgnoreProperties(ignoreUnknown = true)} (for the operator's forward
     * compatibility): that is switched off here, so that Jackson fails on every property a class
     * does not have.
     */
    private static final ObjectMapper YAML =
            YAMLMapper.builder()
                    .annotationIntrospector(
                            new JacksonAnnotationIntrospector() {
                                @Override
                                public JsonIgnoreProperties.Value findPropertyIgnoralByName(
                                        MapperConfig<?> config, Annotated annotated) {
                                    return super.findPropertyIgnoralByName(config, annotated)
                                            .withoutIgnoreUnknown();
                                }
                            })
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .build();

    @Test
    void everyManifestParsesStrictlyIntoItsOperatorsModel() throws Exception {
        List<HasMetadata> resources = new ArrayList<>();
        for (Path file : manifests()) {
            resources.addAll(parse(file));
        }
        assertThat(resources)
                .extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
                .contains(
                        "FlinkDeployment/inctrl-inspection",
                        "KafkaTopic/frames",
                        "KafkaTopic/control",
                        "KafkaTopic/scores",
                        "KafkaTopic/alerts",
                        "KafkaTopic/control-events",
                        "KafkaTopic/dead-letters",
                        "KafkaTopic/line-state",
                        "KafkaUser/inctrl-job",
                        "KafkaUser/inctrl-camera",
                        "KafkaUser/inctrl-control-plane",
                        "PodMonitor/inctrl-flink");
    }

    @Test
    void theLineStateTopicTakesTheLargestLineStateTheJobWrites() throws Exception {
        JsonNode lineState = null;
        try (var documents =
                YAML.readerFor(JsonNode.class)
                        .<JsonNode>readValues(MANIFESTS.resolve("kafka-topics.yaml").toFile())) {
            while (documents.hasNext()) {
                JsonNode topic = documents.next();
                if (topic.path("metadata").path("name").asText().equals("line-state")) {
                    lineState = topic;
                }
            }
        }
        assertThat(lineState).as("the KafkaTopic line-state").isNotNull();
        assertThat(lineState.path("spec").path("config").path("max.message.bytes").asText())
                .as(
                        "what the job's start-up check asks: its largest line state (a bank and"
                                + " its shot images) plus framing")
                .isEqualTo(
                        InspectionTopics.lineStateTopicConfig(
                                        InspectionTopics.largestLineStateRecord(
                                                new Configuration()))
                                .get("max.message.bytes"));
    }

    @Test
    void theDeploymentIsAnApplicationWithHaDurableStateSavepointUpgradesAndAGpu() throws Exception {
        FlinkDeployment deployment =
                parse(MANIFESTS.resolve("flink-deployment.yaml")).stream()
                        .filter(FlinkDeployment.class::isInstance)
                        .map(FlinkDeployment.class::cast)
                        .findFirst()
                        .orElseThrow();
        var spec = deployment.getSpec();
        assertThat(spec.getJob().getJarURI()).startsWith("local:///opt/flink/usrlib/");
        assertThat(spec.getJob().getEntryClass()).isEqualTo("io.inctrlstream.job.InspectionJob");
        assertThat(spec.getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        Map<String, String> flink = spec.getFlinkConfiguration();
        assertThat(flink)
                .containsEntry("high-availability.type", "kubernetes")
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        for (String durable :
                List.of(
                        "high-availability.storageDir",
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        InspectionJobOptions.CHECKPOINT_DIR.key())) {
            assertThat(flink.get(durable)).as(durable).matches("(s3|gs|abfss|hdfs)://.+");
        }
        assertThat(flink).containsKey(TaskManagerOptions.TASK_OFF_HEAP_MEMORY.key());
        // Credentials are read from the mounted secret, never written here.
        assertThat(flink.get("inctrl.kafka.properties.sasl.jaas.config"))
                .startsWith("${dir:/opt/flink/secrets/");
        assertThat(flink.values()).noneMatch(value -> value.contains("password="));
        PodTemplateSpec taskManager = spec.getTaskManager().getPodTemplate();
        assertThat(taskManager.getSpec().getContainers())
                .filteredOn(c -> c.getName().equals("flink-main-container"))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.getResources().getLimits())
                                        .containsEntry("nvidia.com/gpu", new Quantity("1")));
        assertThat(spec.getPodTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getSecret()).isNotNull());
    }

    @Test
    void aMisspelledPropertyFailsTheParse() throws Exception {
        ObjectNode pod =
                (ObjectNode) YAML.readTree(MANIFESTS.resolve("flink-deployment.yaml").toFile());
        ((ObjectNode) pod.path("spec").path("podTemplate").path("spec"))
                .putArray("initContainer"); // initContainers, misspelled
        assertThatThrownBy(() -> bind(pod, "flink-deployment.yaml"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("initContainer")
                .hasMessageContaining("spec.podTemplate.spec");

        ObjectNode deployment =
                (ObjectNode) YAML.readTree(MANIFESTS.resolve("flink-deployment.yaml").toFile());
        ((ObjectNode) deployment.path("spec").path("job")).put("upgradeMod", "savepoint");
        assertThatThrownBy(() -> bind(deployment, "flink-deployment.yaml"))
                .hasMessageContaining("upgradeMod");

        ObjectNode config =
                (ObjectNode) YAML.readTree(MANIFESTS.resolve("flink-deployment.yaml").toFile());
        ((ObjectNode) config.path("spec").path("flinkConfiguration"))
                .put("inctrl.model.bundel", "/models/inctrl");
        assertThatThrownBy(() -> bind(config, "flink-deployment.yaml"))
                .hasMessageContaining("inctrl.model.bundel");

        JsonNode topic =
                YAML.readerFor(JsonNode.class)
                        .<JsonNode>readValues(MANIFESTS.resolve("kafka-topics.yaml").toFile())
                        .next();
        ((ObjectNode) topic.path("spec")).put("replica", 3);
        assertThatThrownBy(() -> bind(topic, "kafka-topics.yaml"))
                .hasMessageContaining("spec.replica");
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("manifests in " + MANIFESTS).isNotEmpty();
            return yaml;
        }
    }

    private static List<HasMetadata> parse(Path file) throws Exception {
        List<HasMetadata> resources = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                resources.add(bind(document, file.getFileName().toString()));
            }
        }
        return resources;
    }

    private static HasMetadata bind(JsonNode document, String file) throws Exception {
        String kind = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> model = MODEL_BY_KIND.get(kind);
        if (model == null) {
            throw new AssertionError(
                    file + ": expected one of " + MODEL_BY_KIND.keySet() + ", found " + kind);
        }
        JsonNode tree = document.deepCopy();
        if (model == FlinkDeployment.class) {
            assertThat(tree.path("spec").path("flinkVersion").asText())
                    .as(file + ": spec.flinkVersion")
                    .isEqualTo(FLINK_VERSION);
            ((ObjectNode) tree.path("spec")).remove("flinkVersion");
        }
        HasMetadata resource;
        try {
            resource = YAML.treeToValue(tree, model);
        } catch (IOException e) {
            throw new AssertionError(file + " (" + kind + "): " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(resource, "", unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new AssertionError(
                    file + " (" + kind + "): properties the model does not have: " + unknown);
        }
        if (resource instanceof FlinkDeployment deployment) {
            List<String> undeclared =
                    deployment.getSpec().getFlinkConfiguration().keySet().stream()
                            .filter(key -> !declaredKey(key))
                            .toList();
            if (!undeclared.isEmpty()) {
                throw new AssertionError(
                        file
                                + ": Flink configuration keys that neither the job nor Flink"
                                + " declare: "
                                + undeclared);
            }
        }
        return resource;
    }

    /**
     * Walks the bound object and collects the properties a model class kept aside as unknown (its
     * {@code getAdditionalProperties()}), with their paths.
     */
    private static void collectUnknown(
            Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown, seen));
            return;
        }
        String type = value.getClass().getName();
        if (!(type.startsWith("io.fabric8.")
                || type.startsWith("io.strimzi.")
                || type.startsWith("org.apache.flink.kubernetes."))) {
            return;
        }
        try {
            Method additional = value.getClass().getMethod("getAdditionalProperties");
            Object extra = additional.invoke(value);
            if (extra instanceof Map<?, ?> map && !map.isEmpty()) {
                map.keySet().forEach(k -> unknown.add((path.isEmpty() ? "" : path + ".") + k));
            }
        } catch (NoSuchMethodException e) {
            // a class without a place for unknown properties: Jackson already failed on them
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        || field.getName().equals("additionalProperties")
                        || field.getType().isPrimitive()
                        || field.getType().isEnum()
                        || field.getType() == String.class) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    String name = path.isEmpty() ? field.getName() : path + "." + field.getName();
                    collectUnknown(field.get(value), name, unknown, seen);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot read " + path + "." + field, e);
                }
            }
        }
    }

    private static boolean declaredKey(String key) {
        return FOREIGN_KEY_PREFIXES.stream().anyMatch(key::startsWith)
                || key.startsWith(InspectionJobOptions.KAFKA_PROPERTIES.key() + ".")
                || DECLARED_KEYS.contains(key);
    }

    private static final Set<String> DECLARED_KEYS = declaredKeys();

    private static Set<String> declaredKeys() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> options :
                List.of(
                        InspectionJobOptions.class,
                        CheckpointingOptions.class,
                        org.apache.flink.configuration.StateRecoveryOptions.class,
                        HighAvailabilityOptions.class,
                        JobManagerOptions.class,
                        TaskManagerOptions.class,
                        RestartStrategyOptions.class)) {
            for (Field field : options.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                        keys.add(option.key());
                        for (FallbackKey fallback : option.fallbackKeys()) {
                            keys.add(fallback.getKey());
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }
}
