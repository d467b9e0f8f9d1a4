package io.inctrlstream.launcher.internal.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Flink's REST API (the JobManager's web endpoint), the calls the launcher makes: upload and run a
 * jar, job overview and details, stop with a savepoint and its status, checkpoints and exceptions.
 * A call the API refuses fails with an {@link IllegalStateException} naming the call, the HTTP
 * status and Flink's error (the deepest cause of a failed job submission).
 */
public final class FlinkRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base the JobManager's REST address, e.g. http://flink-jobmanager:8081
     * @param timeout how long one call may take (an upload of the job jar included)
     */
    public FlinkRestClient(URI base, Duration timeout) {
        String text = Objects.requireNonNull(base, "base").toString();
        if (!(text.startsWith("http://") || text.startsWith("https://"))) {
            throw new IllegalArgumentException(
                    "expected the JobManager's REST address as http(s)://HOST:PORT, found " + text);
        }
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The REST address. */
    public URI address() {
        return base;
    }

    /** Uploads a jar ({@code POST /jars/upload}); returns its id on the cluster. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "inctrl-" + UUID.randomUUID();
        byte[] head =
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request =
                request("jars/upload")
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(
                                HttpRequest.BodyPublishers.concat(
                                        HttpRequest.BodyPublishers.ofByteArray(head),
                                        HttpRequest.BodyPublishers.ofFile(jar),
                                        HttpRequest.BodyPublishers.ofByteArray(tail)))
                        .build();
        JsonNode answer = send(request, "POST /jars/upload");
        String file = answer.path("filename").asText("");
        if (file.isEmpty()) {
            throw new IllegalStateException(
                    "the JobManager at " + base + " accepted the jar but named no file: " + answer);
        }
        return Path.of(file).getFileName().toString();
    }

    /** Runs an uploaded jar's main ({@code POST /jars/:id/run}); returns the job id. */
    public String runJar(String jarId, JarRun run) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", run.entryClass());
        ArrayNode args = body.putArray("programArgsList");
        run.programArgs().forEach(args::add);
        run.parallelism().ifPresent(p -> body.put("parallelism", p));
        run.savepointPath().ifPresent(path -> body.put("savepointPath", path));
        body.put("allowNonRestoredState", run.allowNonRestoredState());
        String call = "POST /jars/" + jarId + "/run";
        JsonNode answer = send(post("jars/" + jarId + "/run", body), call);
        return requireText(answer, "jobid", call);
    }

    /** The cluster's jobs ({@code GET /jobs/overview}), newest first as Flink lists them. */
    public List<JobSummary> jobs() throws IOException, InterruptedException {
        JsonNode answer = send(request("jobs/overview").GET().build(), "GET /jobs/overview");
        List<JobSummary> jobs = new ArrayList<>();
        for (JsonNode job : answer.path("jobs")) {
            jobs.add(
                    new JobSummary(
                            job.path("jid").asText(),
                            job.path("name").asText(),
                            job.path("state").asText(),
                            job.path("start-time").asLong(),
                            job.path("duration").asLong()));
        }
        return jobs;
    }

    /** One job's state ({@code GET /jobs/:id}). */
    public String jobState(String jobId) throws IOException, InterruptedException {
        String call = "GET /jobs/" + jobId;
        return requireText(send(request("jobs/" + jobId).GET().build(), call), "state", call);
    }

    /** The newest entry of a job's exception history, its first lines; empty if none. */
    public Optional<String> latestException(String jobId) throws IOException, InterruptedException {
        JsonNode answer =
                send(
                        request("jobs/" + jobId + "/exceptions").GET().build(),
                        "GET /jobs/" + jobId + "/exceptions");
        JsonNode entries = answer.path("exceptionHistory").path("entries");
        if (!entries.isArray() || entries.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(deepestCause(entries.get(0).path("stacktrace").asText("")));
    }

    /**
     * A job's checkpoint counts and latest completed checkpoint ({@code GET
     * /jobs/:id/checkpoints}).
     */
    public Checkpoints checkpoints(String jobId) throws IOException, InterruptedException {
        JsonNode answer =
                send(
                        request("jobs/" + jobId + "/checkpoints").GET().build(),
                        "GET /jobs/" + jobId + "/checkpoints");
        JsonNode counts = answer.path("counts");
        JsonNode latest = answer.path("latest").path("completed");
        return new Checkpoints(
                counts.path("completed").asLong(),
                counts.path("failed").asLong(),
                latest.isObject() ? Optional.of(latest.path("id").asLong()) : Optional.empty(),
                latest.isObject()
                        ? Optional.ofNullable(latest.path("external_path").asText(null))
                        : Optional.empty());
    }

    /** Triggers stop-with-savepoint ({@code POST /jobs/:id/stop}); returns the trigger id. */
    public String stopWithSavepoint(String jobId, String targetDirectory, boolean drain)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", targetDirectory);
        body.put("drain", drain);
        String call = "POST /jobs/" + jobId + "/stop";
        return requireText(send(post("jobs/" + jobId + "/stop", body), call), "request-id", call);
    }

    /** Where a savepoint operation stands ({@code GET /jobs/:id/savepoints/:trigger}). */
    public SavepointStatus savepointStatus(String jobId, String triggerId)
            throws IOException, InterruptedException {
        String call = "GET /jobs/" + jobId + "/savepoints/" + triggerId;
        JsonNode answer =
                send(request("jobs/" + jobId + "/savepoints/" + triggerId).GET().build(), call);
        if (!"COMPLETED".equals(answer.path("status").path("id").asText())) {
            return SavepointStatus.inProgress();
        }
        JsonNode operation = answer.path("operation");
        if (operation.hasNonNull("location")) {
            return SavepointStatus.completed(operation.get("location").asText());
        }
        JsonNode failure = operation.path("failure-cause");
        String reason = failure.path("stack-trace").asText(failure.path("class").asText("unknown"));
        return SavepointStatus.failed(deepestCause(reason));
    }

    private HttpRequest post(String path, JsonNode body) throws IOException {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    }

    private JsonNode send(HttpRequest request, String call)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new IllegalStateException(
                    "cannot reach the JobManager's REST API at " + base + " (" + call + ")", e);
        }
        JsonNode body;
        try {
            body =
                    response.body().length == 0
                            ? JSON.createObjectNode()
                            : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the JobManager at "
                            + base
                            + " answered "
                            + call
                            + " with HTTP "
                            + response.statusCode()
                            + " and no JSON: "
                            + new String(response.body(), StandardCharsets.UTF_8),
                    e);
        }
        if (response.statusCode() / 100 != 2) {
            List<String> errors = new ArrayList<>();
            body.path("errors").forEach(error -> errors.add(error.asText()));
            throw new IllegalStateException(
                    "the JobManager at "
                            + base
                            + " refused "
                            + call
                            + " (HTTP "
                            + response.statusCode()
                            + "): "
                            + (errors.isEmpty() ? body.toString() : describe(errors)));
        }
        return body;
    }

    /** Flink's errors: the first, and the deepest cause named in any of them. */
    private static String describe(List<String> errors) {
        String first = errors.get(0).lines().findFirst().orElse("").trim();
        String cause = deepestCause(String.join("\n", errors));
        return cause.equals(first) ? first : first + "; caused by " + cause;
    }

    /** The last "Caused by:" line of a stack trace, else its first line. */
    static String deepestCause(String stackTrace) {
        String deepest = stackTrace.lines().findFirst().orElse("").trim();
        for (String line : stackTrace.lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Caused by: ")) {
                deepest = trimmed.substring("Caused by: ".length());
            }
        }
        return deepest;
    }

    private static String requireText(JsonNode answer, String field, String call) {
        String value = answer.path(field).asText("");
        if (value.isEmpty()) {
            throw new IllegalStateException(
                    "expected \"" + field + "\" in the answer to " + call + ", found " + answer);
        }
        return value;
    }

    /**
     * How to run an uploaded jar.
     *
     * @param entryClass the main class
     * @param programArgs the main's arguments
     * @param parallelism the job's default parallelism, or empty for the cluster's
     * @param savepointPath the savepoint (or retained checkpoint) to start from, or empty
     * @param allowNonRestoredState whether state of the savepoint that maps to no operator is
     *     dropped instead of failing the submission
     */
    public record JarRun(
            String entryClass,
            List<String> programArgs,
            Optional<Integer> parallelism,
            Optional<String> savepointPath,
            boolean allowNonRestoredState) {
        public JarRun {
            Objects.requireNonNull(entryClass, "entryClass");
            programArgs = List.copyOf(programArgs);
        }
    }

    /** One line of the jobs overview. */
    public record JobSummary(
            String id, String name, String state, long startTime, long durationMs) {
        /** Whether the job can still run (not FINISHED, CANCELED or FAILED). */
        public boolean active() {
            return !(state.equals("FINISHED")
                    || state.equals("CANCELED")
                    || state.equals("FAILED"));
        }
    }

    /** A job's checkpoint counts and its latest completed checkpoint. */
    public record Checkpoints(
            long completed, long failed, Optional<Long> latestId, Optional<String> latestPath) {}

    /**
     * Where a savepoint operation stands: in progress, completed at a location, or failed with a
     * reason.
     */
    public record SavepointStatus(boolean done, String location, String failure) {
        static SavepointStatus inProgress() {
            return new SavepointStatus(false, null, null);
        }

        static SavepointStatus completed(String location) {
            return new SavepointStatus(true, location, null);
        }

        static SavepointStatus failed(String failure) {
            return new SavepointStatus(true, null, failure);
        }
    }
}
