package io.inctrlstream.launcher.internal.soak;

import io.inctrlstream.model.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a soak runs: lines, rates, how long, how often it fails a task. Built by {@link Builder}.
 */
public final class SoakSettings {
    static final int MAX_LINES = 1_000;
    static final int MAX_SHOTS = 16;

    private final Path bundle;
    private final Device device;
    private final int lines;
    private final int shotsPerLine;
    private final Duration duration;
    private final double fps;
    private final Duration failEvery;
    private final Duration reportEvery;
    private final Duration checkpointInterval;
    private final Duration drainTimeout;
    private final int parallelism;
    private final int dashboardPort;
    private final Path jsonFile;
    private final Map<String, String> jobSettings;

    private SoakSettings(Builder builder) {
        this.bundle = builder.bundle;
        this.device = builder.device;
        this.lines = builder.lines;
        this.shotsPerLine = builder.shotsPerLine;
        this.duration = builder.duration;
        this.fps = builder.fps;
        this.failEvery = builder.failEvery;
        this.reportEvery = builder.reportEvery;
        this.checkpointInterval = builder.checkpointInterval;
        this.drainTimeout = builder.drainTimeout;
        this.parallelism = builder.parallelism;
        this.dashboardPort = builder.dashboardPort;
        this.jsonFile = builder.jsonFile;
        this.jobSettings = Map.copyOf(builder.jobSettings);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path bundle() {
        return bundle;
    }

    public Device device() {
        return device;
    }

    public int lines() {
        return lines;
    }

    public int shotsPerLine() {
        return shotsPerLine;
    }

    public Duration duration() {
        return duration;
    }

    /** Frames per second per line. */
    public double fps() {
        return fps;
    }

    /** Time between two injected task failures; null: none. */
    public Duration failEvery() {
        return failEvery;
    }

    public Duration reportEvery() {
        return reportEvery;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** How long, after the cameras stopped, the soak waits for the last frames' scores. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    public int parallelism() {
        return parallelism;
    }

    public int dashboardPort() {
        return dashboardPort;
    }

    /** Where the JSON report goes; null: nowhere. */
    public Path jsonFile() {
        return jsonFile;
    }

    /** Further job or Flink settings (key to value), applied last. */
    public Map<String, String> jobSettings() {
        return jobSettings;
    }

    /** Builds {@link SoakSettings}; {@link #build()} validates. */
    public static final class Builder {
        private Path bundle;
        private Device device = Device.CPU;
        private int lines = 4;
        private int shotsPerLine = 4;
        private Duration duration;
        private double fps = 2;
        private Duration failEvery;
        private Duration reportEvery = Duration.ofSeconds(10);
        private Duration checkpointInterval = Duration.ofSeconds(10);
        private Duration drainTimeout = Duration.ofMinutes(2);
        private int parallelism = 1;
        private int dashboardPort;
        private Path jsonFile;
        private final Map<String, String> jobSettings = new LinkedHashMap<>();

        private Builder() {}

        public Builder bundle(Path bundle) {
            this.bundle = bundle;
            return this;
        }

        public Builder device(Device device) {
            this.device = device;
            return this;
        }

        public Builder lines(int lines) {
            this.lines = lines;
            return this;
        }

        public Builder shotsPerLine(int shotsPerLine) {
            this.shotsPerLine = shotsPerLine;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder fps(double fps) {
            this.fps = fps;
            return this;
        }

        public Builder failEvery(Duration failEvery) {
            this.failEvery = failEvery;
            return this;
        }

        public Builder reportEvery(Duration reportEvery) {
            this.reportEvery = reportEvery;
            return this;
        }

        public Builder checkpointInterval(Duration checkpointInterval) {
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder dashboardPort(int dashboardPort) {
            this.dashboardPort = dashboardPort;
            return this;
        }

        public Builder jsonFile(Path jsonFile) {
            this.jsonFile = jsonFile;
            return this;
        }

        public Builder jobSettings(Map<String, String> settings) {
            jobSettings.putAll(settings);
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting out of range and its value
         */
        public SoakSettings build() {
            Objects.requireNonNull(bundle, "bundle");
            Objects.requireNonNull(device, "device");
            requireRange("--lines", lines, 1, MAX_LINES);
            requireRange("--shots", shotsPerLine, 1, MAX_SHOTS);
            if (duration == null) {
                throw new IllegalArgumentException("--duration is required (e.g. 5m)");
            }
            requirePositive("--duration", duration);
            if (!(fps > 0 && fps <= 1_000)) {
                throw new IllegalArgumentException("--fps must be in (0, 1000], found " + fps);
            }
            if (failEvery != null) {
                requirePositive("--fail-every", failEvery);
                if (failEvery.compareTo(duration) >= 0) {
                    throw new IllegalArgumentException(
                            "--fail-every must be shorter than --duration ("
                                    + duration
                                    + "), found "
                                    + failEvery
                                    + ": no failure would be injected");
                }
            }
            requirePositive("--report-every", reportEvery);
            requirePositive("--checkpoint-interval", checkpointInterval);
            requirePositive("--drain-timeout", drainTimeout);
            requireRange("--parallelism", parallelism, 1, 64);
            requireRange("--dashboard-port", dashboardPort, 0, 65_535);
            if (jsonFile != null && Files.isDirectory(jsonFile)) {
                throw new IllegalArgumentException(
                        "--json must name a file, found the folder " + jsonFile);
            }
            return new SoakSettings(this);
        }

        private static void requireRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        name + " must be " + min + ".." + max + ", found " + value);
            }
        }

        private static void requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, found " + value);
            }
        }
    }
}
