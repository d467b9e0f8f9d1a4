package io.inctrlstream.launcher.internal.demo;

import io.inctrlstream.model.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Everything the demo is asked to do. Immutable; build with {@link #builder()}. */
public final class DemoSettings {
    public static final int MAX_LINES = 12;

    private final Path bundle;
    private final Device device;
    private final int lines;
    private final double fps;
    private final Duration duration;
    private final Path heatmaps;
    private final int dashboardPort;
    private final double defectRate;
    private final long seed;
    private final Double threshold;
    private final int shotsPerLine;
    private final int parallelism;
    private final Duration alertCooldown;
    private final boolean ansi;
    private final Path summaryFile;
    private final int maxUnanswered;

    private DemoSettings(Builder b) {
        this.bundle = b.bundle;
        this.device = b.device;
        this.lines = b.lines;
        this.fps = b.fps;
        this.duration = b.duration;
        this.heatmaps = b.heatmaps;
        this.dashboardPort = b.dashboardPort;
        this.defectRate = b.defectRate;
        this.seed = b.seed;
        this.threshold = b.threshold;
        this.shotsPerLine = b.shotsPerLine;
        this.parallelism = b.parallelism;
        this.alertCooldown = b.alertCooldown;
        this.ansi = b.ansi;
        this.summaryFile = b.summaryFile;
        this.maxUnanswered = b.maxUnanswered;
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

    public double fps() {
        return fps;
    }

    /** How long the cameras run; null until stopped. */
    public Duration duration() {
        return duration;
    }

    /** Where alert heatmaps go; null for a new temporary folder. */
    public Path heatmaps() {
        return heatmaps;
    }

    public int dashboardPort() {
        return dashboardPort;
    }

    public double defectRate() {
        return defectRate;
    }

    public long seed() {
        return seed;
    }

    /** A fixed threshold for every line; null to calibrate each line on good parts. */
    public Double threshold() {
        return threshold;
    }

    public int shotsPerLine() {
        return shotsPerLine;
    }

    public int parallelism() {
        return parallelism;
    }

    public Duration alertCooldown() {
        return alertCooldown;
    }

    /** Whether to redraw the view in place with ANSI codes. */
    public boolean ansi() {
        return ansi;
    }

    /** Where to write the JSON summary at the end; null for none. */
    public Path summaryFile() {
        return summaryFile;
    }

    /**
     * Most frames of a line sent and not yet answered; beyond it the line's camera skips frames
     * (dropped at the camera: the job is behind).
     */
    public int maxUnanswered() {
        return maxUnanswered;
    }

    /** Builds {@link DemoSettings}; {@link #build()} validates. */
    public static final class Builder {
        private Path bundle;
        private Device device = Device.CPU;
        private int lines = 3;
        private double fps = 2;
        private Duration duration;
        private Path heatmaps;
        private int dashboardPort = 8081;
        private double defectRate = 0.1;
        private long seed = 42;
        private Double threshold;
        private int shotsPerLine = 4;
        private int parallelism = 1;
        private Duration alertCooldown = Duration.ofSeconds(2);
        private boolean ansi;
        private Path summaryFile;
        private int maxUnanswered = 16;

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

        public Builder fps(double fps) {
            this.fps = fps;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder heatmaps(Path heatmaps) {
            this.heatmaps = heatmaps;
            return this;
        }

        public Builder dashboardPort(int dashboardPort) {
            this.dashboardPort = dashboardPort;
            return this;
        }

        public Builder defectRate(double defectRate) {
            this.defectRate = defectRate;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder threshold(Double threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder shotsPerLine(int shotsPerLine) {
            this.shotsPerLine = shotsPerLine;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder alertCooldown(Duration alertCooldown) {
            this.alertCooldown = alertCooldown;
            return this;
        }

        public Builder ansi(boolean ansi) {
            this.ansi = ansi;
            return this;
        }

        public Builder summaryFile(Path summaryFile) {
            this.summaryFile = summaryFile;
            return this;
        }

        public Builder maxUnanswered(int maxUnanswered) {
            this.maxUnanswered = maxUnanswered;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public DemoSettings build() {
            Objects.requireNonNull(bundle, "bundle");
            Objects.requireNonNull(device, "device");
            if (lines < 1 || lines > MAX_LINES) {
                throw new IllegalArgumentException(
                        "--lines must be in 1.." + MAX_LINES + ", found " + lines);
            }
            if (!(fps > 0 && fps <= 30)) {
                throw new IllegalArgumentException("--fps must be in (0, 30], found " + fps);
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException(
                        "--duration must be positive, found " + duration);
            }
            if (dashboardPort < 0 || dashboardPort > 65535) {
                throw new IllegalArgumentException(
                        "--dashboard-port must be in 0..65535, found " + dashboardPort);
            }
            if (!(defectRate >= 0 && defectRate <= 1)) {
                throw new IllegalArgumentException(
                        "--defect-rate must be in [0, 1], found " + defectRate);
            }
            if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException(
                        "--threshold must be in [0, 1], found " + threshold);
            }
            if (shotsPerLine < 1 || shotsPerLine > 16) {
                throw new IllegalArgumentException(
                        "--shots must be in 1..16, found " + shotsPerLine);
            }
            if (parallelism < 1 || parallelism > 16) {
                throw new IllegalArgumentException(
                        "--parallelism must be in 1..16, found " + parallelism);
            }
            if (maxUnanswered < 1 || maxUnanswered > 10_000) {
                throw new IllegalArgumentException(
                        "--max-unanswered must be in 1..10000, found " + maxUnanswered);
            }
            if (alertCooldown.isNegative()) {
                throw new IllegalArgumentException(
                        "--alert-cooldown must be >= 0, found " + alertCooldown);
            }
            if (heatmaps != null && Files.exists(heatmaps) && !Files.isDirectory(heatmaps)) {
                throw new IllegalArgumentException(
                        "--heatmaps must be a folder, found a file: " + heatmaps);
            }
            if (summaryFile != null && Files.isDirectory(summaryFile)) {
                throw new IllegalArgumentException(
                        "--summary must be a file, found a folder: " + summaryFile);
            }
            return new DemoSettings(this);
        }
    }
}
