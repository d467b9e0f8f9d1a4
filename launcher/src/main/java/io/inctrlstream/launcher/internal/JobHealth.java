package io.inctrlstream.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How a local job has fared so far, from its cluster's REST API: whether it restarted, and how its
 * checkpoints went. Restarts that restored no checkpoint lost the job's state since the start.
 *
 * @param status the job's status (RUNNING, RESTARTING, FAILED, ...)
 * @param restarts how often the job restarted
 * @param checkpointsCompleted checkpoints completed
 * @param checkpointsFailed checkpoints failed (timed out, declined, too large ...)
 * @param checkpointsRestored how often a restart restored a checkpoint
 * @param lastCheckpointBytes the state size of the latest completed checkpoint; 0 if none
 * @param lastCheckpointFailure why the latest failed checkpoint failed; empty if none failed
 * @param lastFailure the job's latest failure (the cause of its latest restart); empty if none
 */
public record JobHealth(
        String status,
        long restarts,
        long checkpointsCompleted,
        long checkpointsFailed,
        long checkpointsRestored,
        long lastCheckpointBytes,
        String lastCheckpointFailure,
        String lastFailure) {

    /** Before anything could be read (the job never ran). */
    public static JobHealth unknown() {
        return new JobHealth("UNKNOWN", 0, 0, 0, 0, 0, "", "");
    }

    /**
     * The health from the answers of the Flink REST API: {@code /jobs/<id>}, {@code
     * /jobs/<id>/checkpoints}, {@code /jobs/<id>/metrics?get=numRestarts} and {@code
     * /jobs/<id>/exceptions}.
     */
    static JobHealth fromRest(
            JsonNode job, JsonNode checkpoints, JsonNode restartMetric, JsonNode exceptions) {
        JsonNode counts = checkpoints.path("counts");
        JsonNode latest = checkpoints.path("latest");
        long restarts = 0;
        for (JsonNode metric : restartMetric) {
            if ("numRestarts".equals(metric.path("id").asText())) {
                restarts = metric.path("value").asLong(0);
            }
        }
        JsonNode history = exceptions.path("exceptionHistory").path("entries");
        String lastFailure = "";
        if (history.isArray() && !history.isEmpty()) {
            String name = firstLine(history.get(0).path("exceptionName").asText(""));
            String trace = firstLine(history.get(0).path("stacktrace").asText(""));
            lastFailure = trace.isEmpty() ? name : trace;
        }
        return new JobHealth(
                job.path("state").asText("UNKNOWN"),
                restarts,
                counts.path("completed").asLong(0),
                counts.path("failed").asLong(0),
                counts.path("restored").asLong(0),
                latest.path("completed").path("state_size").asLong(0),
                firstLine(latest.path("failed").path("failure_message").asText("")),
                lastFailure);
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    /** The job's status, restarts and checkpoints in one line. */
    public String summaryLine() {
        String line =
                String.format(
                        Locale.ROOT,
                        "job %s: %d restarts, checkpoints %d completed (latest %.1f MB), %d failed",
                        status,
                        restarts,
                        checkpointsCompleted,
                        lastCheckpointBytes / 1e6,
                        checkpointsFailed);
        return lastCheckpointFailure.isEmpty()
                ? line
                : line + " (latest failure: " + lastCheckpointFailure + ")";
    }

    /** Restarts after which the job did not restore a checkpoint, so started over empty. */
    public long restartsWithoutRestore() {
        return Math.max(0, restarts - checkpointsRestored);
    }
}
