package io.inctrlstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.engine.EngineBackendSettings;
import io.inctrlstream.model.CudaMemoryShares;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.ModelBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void theDefaultsAndACheckpointDirectoryMakeValidSettings() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.CHECKPOINT_DIR, "file:///checkpoints");
        InspectionSettings settings = InspectionSettings.from(config);

        assertThat(settings.operatorConfig().maxBatchSize())
                .isEqualTo(InspectionJobOptions.BATCH_SIZE.defaultValue());
        assertThat(settings.inputLimits().framesTopic()).isEqualTo("frames");
        assertThat(settings.defaultAlertPolicy().windowFrames())
                .isEqualTo(InspectionJobOptions.ALERT_WINDOW.defaultValue());
        assertThat(settings.stateBackend()).isEqualTo(StateBackendKind.ROCKSDB);
        assertThat(settings.maxParallelism()).isEqualTo(128);
        assertThat(settings.checkpoints())
                .isEqualTo(
                        new CheckpointSettings(
                                Duration.ofSeconds(30),
                                Optional.of("file:///checkpoints"),
                                true,
                                Duration.ofMinutes(10),
                                3,
                                Duration.ofSeconds(5),
                                false));
    }

    @Test
    void checkpointsWithoutADirectoryAreRefusedNamingBothOptions() {
        assertThatThrownBy(() -> InspectionSettings.from(new Configuration()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "checkpoints need durable storage: set inctrl.checkpoint.dir (or Flink's"
                                + " execution.checkpointing.dir) to a folder the JobManager and"
                                + " every TaskManager can reach (file:///..., s3://...,"
                                + " hdfs://...), or disable checkpointing with"
                                + " inctrl.checkpoint.interval: 0; found neither");

        Configuration blank = new Configuration();
        blank.set(InspectionJobOptions.CHECKPOINT_DIR, "  ");
        assertThatThrownBy(() -> InspectionSettings.from(blank))
                .hasMessageStartingWith("checkpoints need durable storage");

        Configuration disabled = new Configuration();
        disabled.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
        assertThat(InspectionSettings.from(disabled).checkpoints().enabled()).isFalse();
    }

    @Test
    void flinksOwnCheckpointKeysAreReadWhenTheJobsAreNotSet() {
        Configuration config =
                Configuration.fromMap(
                        Map.of(
                                "execution.checkpointing.dir", "s3://bucket/checkpoints",
                                "execution.checkpointing.min-pause", "1 h",
                                "execution.checkpointing.tolerable-failed-checkpoints", "7",
                                "execution.checkpointing.unaligned.enabled", "true",
                                "pipeline.max-parallelism", "256"));

        InspectionSettings settings = InspectionSettings.from(config);

        assertThat(settings.checkpoints().directory()).contains("s3://bucket/checkpoints");
        assertThat(settings.checkpoints().minPause()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.checkpoints().tolerableFailures()).isEqualTo(7);
        assertThat(settings.checkpoints().unaligned()).isTrue();
        assertThat(settings.maxParallelism()).isEqualTo(256);

        config.set(InspectionJobOptions.CHECKPOINT_DIR, "file:///mine");
        assertThat(InspectionSettings.from(config).checkpoints().directory())
                .as("the job's own key wins")
                .contains("file:///mine");
    }

    @Test
    void outOfRangeCheckpointSettingsAreRefusedWithTheOption() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.CHECKPOINT_DIR, "file:///checkpoints");
        config.set(InspectionJobOptions.CHECKPOINT_TOLERABLE_FAILURES, -1);
        assertThatThrownBy(() -> InspectionSettings.from(config))
                .hasMessage("inctrl.checkpoint.tolerable-failures must be >= 0, found -1");

        config.set(InspectionJobOptions.CHECKPOINT_TOLERABLE_FAILURES, 0);
        config.set(InspectionJobOptions.CHECKPOINT_TIMEOUT, Duration.ZERO);
        assertThatThrownBy(() -> InspectionSettings.from(config))
                .hasMessage("inctrl.checkpoint.timeout must be positive, found PT0S");

        config.set(InspectionJobOptions.CHECKPOINT_TIMEOUT, Duration.ofMinutes(1));
        config.set(InspectionJobOptions.MAX_PARALLELISM, 0);
        assertThatThrownBy(() -> InspectionSettings.from(config))
                .hasMessage("inctrl.max-parallelism must be in 1..32768, found 0");
    }

    @Test
    void outOfRangeSettingsAreRefusedWithTheReason() {
        Configuration badPolicy = new Configuration();
        badPolicy.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
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
        sameTopics.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
        sameTopics.set(InspectionJobOptions.CONTROL_TOPIC, "frames");
        assertThatThrownBy(() -> InspectionSettings.from(sameTopics))
                .hasMessage("frames and commands need different topics, found both on frames");

        Configuration badThreshold = new Configuration();
        badThreshold.set(InspectionJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
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
    void theCudaOptionsReachTheEngineConfig() {
        Configuration config =
                Configuration.fromMap(
                        Map.of(
                                "inctrl.model.bundle", TinyBundle.DIRECTORY.toString(),
                                "inctrl.model.device", "CUDA",
                                "inctrl.model.cuda-device-id", "1",
                                "inctrl.model.cuda-memory-limit", "6g",
                                "inctrl.model.cpu-fallback", "false"));

        EngineConfig engine = EngineBackendSettings.from(config).engineConfig();

        assertThat(engine.device()).isEqualTo(Device.CUDA);
        assertThat(engine.cudaDeviceId()).isEqualTo(1);
        assertThat(engine.cudaMemoryLimitBytes()).isEqualTo(6L << 30);
        assertThat(engine.allowCpuFallback()).isFalse();
    }

    @Test
    void theCudaMemoryLimitDefaultsToNoLimit() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.MODEL_BUNDLE, TinyBundle.DIRECTORY.toString());
        config.set(InspectionJobOptions.DEVICE, Device.CUDA);

        assertThat(InspectionJobOptions.CUDA_MEMORY_LIMIT.defaultValue().getBytes()).isZero();
        assertThat(EngineBackendSettings.from(config).engineConfig().cudaMemoryLimitBytes())
                .isZero();
    }

    @Test
    void theCudaMemorySharesSplitTheLimitAmongTheSessions() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.MODEL_BUNDLE, TinyBundle.DIRECTORY.toString());
        config.setString("inctrl.model.cuda-memory-limit", "8g");
        config.setString(
                "inctrl.model.cuda-memory-shares", "image_encoder:5,scorer:2.5,text_encoder:0.5");

        EngineConfig engine = EngineBackendSettings.from(config).engineConfig();

        assertThat(engine.cudaMemoryShares()).isEqualTo(CudaMemoryShares.of(5, 2.5, 0.5));
        assertThat(engine.cudaMemoryLimitBytes()).isEqualTo(8L << 30);
        assertThat(
                        EngineBackendSettings.from(
                                        Configuration.fromMap(
                                                Map.of(
                                                        "inctrl.model.bundle",
                                                        TinyBundle.DIRECTORY.toString())))
                                .engineConfig()
                                .cudaMemoryShares())
                .as("the default")
                .isEqualTo(CudaMemoryShares.DEFAULT);
    }

    @Test
    void badCudaMemorySharesAreRefusedWithTheOption() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.MODEL_BUNDLE, TinyBundle.DIRECTORY.toString());

        config.setString(
                "inctrl.model.cuda-memory-shares", "image_encoder:most,scorer:1,text_encoder:1");
        assertThatThrownBy(() -> EngineBackendSettings.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "inctrl.model.cuda-memory-shares: the share of image_encoder must be a"
                                + " number, found 'most'");

        config.setString("inctrl.model.cuda-memory-shares", "image_encoder:1,scorer:1");
        assertThatThrownBy(() -> EngineBackendSettings.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "inctrl.model.cuda-memory-shares: CUDA memory shares must give one for"
                                + " each of the graphs [image_encoder, scorer, text_encoder], found"
                                + " none for text_encoder");
    }

    @Test
    void aDefaultCategoryTooLongOrBlankIsRefused() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.MODEL_BUNDLE, TinyBundle.DIRECTORY.toString());

        config.set(InspectionJobOptions.DEFAULT_CATEGORY, "c".repeat(300));
        assertThatThrownBy(() -> EngineBackendSettings.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the default category is too long: expected at most 256 characters,"
                                + " found 300");

        config.set(InspectionJobOptions.DEFAULT_CATEGORY, " ");
        assertThatThrownBy(() -> EngineBackendSettings.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the default category must be a non-blank name, found \" \"");
    }

    @Test
    void aCudaMemoryLimitBelowOneMegabyteIsRefusedWithTheOption() {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.MODEL_BUNDLE, TinyBundle.DIRECTORY.toString());
        config.setString("inctrl.model.cuda-memory-limit", "4096");

        assertThatThrownBy(() -> EngineBackendSettings.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "inctrl.model.cuda-memory-limit must be 0 (no limit) or at least 1 mb,"
                                + " found 4 kb");
    }

    @Test
    void theModelIdIsReadFromTheBundleManifest() throws Exception {
        Configuration config = new Configuration();
        config.set(InspectionJobOptions.MODEL_BUNDLE, TinyBundle.DIRECTORY.toString());

        InspectionModel model = InspectionModel.engine(EngineBackendSettings.from(config));

        assertThat(model.modelId()).isEqualTo(ModelBundle.load(TinyBundle.DIRECTORY).modelId());
    }
}
