package io.inctrlstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.model.ModelBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** Every option is documented, the docs page lists them as they are, and settings are checked. */
class InspectionJobOptionsTest {
    private static final Path DOCS = Paths.get("../docs/inspection-job.md");
    private static final String TABLE_START = "<!-- options-table:start -->\n";
    private static final String TABLE_END = "<!-- options-table:end -->";

    @Test
    void everyOptionHasAUniqueInctrlKeyAndADescription() {
        List<ConfigOption<?>> options = InspectionJobOptions.all();

        assertThat(options).hasSizeGreaterThan(30);
        assertThat(options.stream().map(ConfigOption::key).collect(Collectors.toSet()))
                .hasSameSizeAs(options);
        for (ConfigOption<?> option : options) {
            assertThat(option.key()).startsWith("inctrl.");
            assertThat(OptionsMarkdown.description(option))
                    .as("description of " + option.key())
                    .hasSizeGreaterThan(20)
                    .endsWith(".");
        }
    }

    /**
     * Fails when docs/inspection-job.md's table differs from the options; the current table is
     * written to target/options-table.md (or run OptionsMarkdown) to paste in.
     */
    @Test
    void theDocsPageListsTheOptionsAsTheyAre() throws Exception {
        String table = OptionsMarkdown.table();
        Files.createDirectories(Paths.get("target"));
        Files.writeString(Paths.get("target/options-table.md"), table, StandardCharsets.UTF_8);

        String page = Files.readString(DOCS, StandardCharsets.UTF_8);
        int start = page.indexOf(TABLE_START);
        int end = page.indexOf(TABLE_END);
        assertThat(start).as("options table start marker in " + DOCS).isNotNegative();
        assertThat(end).as("options table end marker in " + DOCS).isGreaterThan(start);

        assertThat(page.substring(start + TABLE_START.length(), end))
                .as("the options table of " + DOCS + " (current one: target/options-table.md)")
                .isEqualTo(table);
    }

    @Test
    void theDefaultsMakeValidSettings() {
        InspectionSettings settings = InspectionSettings.from(new Configuration());

        assertThat(settings.operatorConfig().maxBatchSize())
                .isEqualTo(InspectionJobOptions.BATCH_SIZE.defaultValue());
        assertThat(settings.inputLimits().framesTopic()).isEqualTo("frames");
        assertThat(settings.defaultAlertPolicy().windowFrames())
                .isEqualTo(InspectionJobOptions.ALERT_WINDOW.defaultValue());
        assertThat(settings.stateBackend()).isEqualTo(StateBackendKind.ROCKSDB);
    }

    @Test
    void outOfRangeSettingsAreRefusedWithTheReason() {
        Configuration badPolicy = new Configuration();
        badPolicy.set(InspectionJobOptions.ALERT_MIN_ANOMALOUS, 3);
        badPolicy.set(InspectionJobOptions.ALERT_WINDOW, 2);
        assertThatThrownBy(() -> InspectionSettings.from(badPolicy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "default alert policy window must be between 3 (the anomalous frames) and"
                                + " 1000 frames, found 2");

        Configuration exactlyOnceWithoutCheckpoints = new Configuration();
        exactlyOnceWithoutCheckpoints.set(
                InspectionJobOptions.DELIVERY_GUARANTEE, DeliveryMode.EXACTLY_ONCE);
        exactlyOnceWithoutCheckpoints.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
        assertThatThrownBy(() -> InspectionSettings.from(exactlyOnceWithoutCheckpoints))
                .hasMessage(
                        "exactly-once delivery commits on checkpoints: inctrl.checkpoint.interval"
                                + " must be positive, found 0");

        Configuration sameTopics = new Configuration();
        sameTopics.set(InspectionJobOptions.CONTROL_TOPIC, "frames");
        assertThatThrownBy(() -> InspectionSettings.from(sameTopics))
                .hasMessage("frames and commands need different topics, found both on frames");

        Configuration badThreshold = new Configuration();
        badThreshold.set(InspectionJobOptions.DEFAULT_THRESHOLD, 1.5);
        assertThatThrownBy(() -> InspectionSettings.from(badThreshold))
                .hasMessage("defaultThreshold must be in [0, 1], found 1.5");
    }

    @Test
    void theModelBundleIsRequired() {
        assertThatThrownBy(() -> EngineBackendSettings.from(new Configuration()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "inctrl.model.bundle must name the model bundle directory, found no value");
    }

    @Test
    void theModelIdIsReadFromTheBundleManifest() throws Exception {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.MODEL_BUNDLE, TinyBundle.DIRECTORY.toString());

        InspectionModel model = InspectionModel.engine(EngineBackendSettings.from(config));

        assertThat(model.modelId()).isEqualTo(ModelBundle.load(TinyBundle.DIRECTORY).modelId());
    }
}
