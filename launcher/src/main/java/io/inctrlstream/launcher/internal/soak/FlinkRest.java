package io.inctrlstream.launcher.internal.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the soak reads from the local cluster's REST API (the dashboard's): the job's checkpoint
 * statistics.
 */
final class FlinkRest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private String jobId;

    FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The job's checkpoint statistics now. */
    JobFigures figures() throws IOException, InterruptedException {
        String id = jobId();
        JsonNode checkpoints = get("/jobs/" + id + "/checkpoints");
        JsonNode counts = checkpoints.path("counts");
        JsonNode latest = checkpoints.path("latest").path("completed");
        JsonNode durations = checkpoints.path("summary").path("end_to_end_duration");
        return new JobFigures(
                counts.path("completed").asLong(),
                counts.path("failed").asLong(),
                latest.path("state_size").asLong(),
                latest.path("checkpointed_size").asLong(),
                latest.path("end_to_end_duration").asLong(),
                durations.path("p50").asLong(),
                durations.path("max").asLong(),
                checkpoints.path("summary").path("state_size").path("max").asLong());
    }

    private String jobId() throws IOException, InterruptedException {
        if (jobId == null) {
            JsonNode jobs = get("/jobs/overview").path("jobs");
            if (jobs.size() != 1) {
                throw new IOException(
                        "expected one job on the local cluster at " + baseUrl + ", found " + jobs);
            }
            jobId = jobs.get(0).path("jid").asText();
        }
        return jobId;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }

    /**
     * The job's figures at one moment.
     *
     * @param checkpointsCompleted checkpoints completed
     * @param checkpointsFailed checkpoints failed (or declined, or timed out)
     * @param lastCheckpointBytes state size of the latest completed checkpoint
     * @param lastCheckpointWrittenBytes bytes it wrote (less than the state when incremental)
     * @param lastCheckpointMillis its duration from trigger to the last acknowledgement
     * @param checkpointMillisMedian median duration of the completed checkpoints
     * @param checkpointMillisMax longest duration of a completed checkpoint
     * @param checkpointBytesMax largest state of a completed checkpoint
     */
    record JobFigures(
            long checkpointsCompleted,
            long checkpointsFailed,
            long lastCheckpointBytes,
            long lastCheckpointWrittenBytes,
            long lastCheckpointMillis,
            long checkpointMillisMedian,
            long checkpointMillisMax,
            long checkpointBytesMax) {
        /** Before the job answered. */
        static final JobFigures NONE = new JobFigures(0, 0, 0, 0, 0, 0, 0, 0);
    }
}
