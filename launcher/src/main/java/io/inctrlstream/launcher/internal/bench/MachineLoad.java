package io.inctrlstream.launcher.internal.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1-minute load average, to record next to every measured figure. */
public final class MachineLoad {
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private MachineLoad() {}

    /** The 1-minute load average (from /proc/loadavg, else the JVM's view; -1 if unknown). */
    public static double oneMinute() {
        try {
            return parseLoadavg(Files.readString(LOADAVG));
        } catch (IOException | RuntimeException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }

    /**
     * The first field of a /proc/loadavg line, e.g. {@code "1.52 0.80 0.44 2/301 4242"}.
     *
     * @throws IllegalArgumentException if the line does not start with a number
     */
    static double parseLoadavg(String line) {
        String[] fields = line.trim().split("\\s+");
        try {
            return Double.parseDouble(fields[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "expected /proc/loadavg to start with the 1-minute load, found \""
                            + line.trim()
                            + "\"",
                    e);
        }
    }
}
