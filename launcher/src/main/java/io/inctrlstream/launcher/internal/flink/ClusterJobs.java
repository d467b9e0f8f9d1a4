package io.inctrlstream.launcher.internal.flink;

import io.inctrlstream.launcher.internal.flink.FlinkRestClient.JarRun;
import io.inctrlstream.launcher.internal.flink.FlinkRestClient.JobSummary;
import io.inctrlstream.launcher.internal.flink.FlinkRestClient.SavepointStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The launcher's job lifecycle on a Flink cluster, over its REST API: submit the job jar and wait
 * until the job runs, find the inspection job, stop it with a savepoint and wait for the savepoint.
 * Every wait is bounded; a job that fails instead fails the call with the job's exception.
 */
public final class ClusterJobs {
    private static final Duration POLL = Duration.ofMillis(500);

    private final FlinkRestClient rest;
    private final Duration timeout;

    /**
     * @param rest the cluster's REST API
     * @param timeout the longest any wait takes
     */
    public ClusterJobs(FlinkRestClient rest, Duration timeout) {
        this.rest = Objects.requireNonNull(rest, "rest");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Uploads {@code jar}, runs it, and waits until the job is RUNNING.
     *
     * @return the job id
     * @throws IllegalStateException if the cluster refuses the jar or the run, or the job fails,
     *     ends or does not run in time
     */
    public String submit(Path jar, JarRun run) throws Exception {
        String jarId = rest.uploadJar(jar);
        String jobId = rest.runJar(jarId, run);
        awaitRunning(jobId);
        return jobId;
    }

    private void awaitRunning(String jobId) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            String state = rest.jobState(jobId);
            if (state.equals("RUNNING")) {
                return;
            }
            if (List.of("FAILED", "FAILING", "CANCELED", "CANCELLING", "FINISHED")
                    .contains(state)) {
                throw new IllegalStateException(
                        "job "
                                + jobId
                                + " is "
                                + state
                                + " instead of running"
                                + rest.latestException(jobId).map(e -> ": " + e).orElse(""));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "job "
                                + jobId
                                + " is still "
                                + state
                                + " after "
                                + timeout.toSeconds()
                                + " s");
            }
            Thread.sleep(POLL.toMillis()); // polling interval of a bounded wait
        }
    }

    /**
     * The job to act on: the one with {@code jobId}, or else the one active job named {@code name}.
     *
     * @throws IllegalStateException if there is no such job, or several active ones by that name
     */
    public JobSummary find(Optional<String> jobId, String name) throws Exception {
        List<JobSummary> jobs = rest.jobs();
        if (jobId.isPresent()) {
            return jobs.stream()
                    .filter(job -> job.id().equals(jobId.get()))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no job " + jobId.get() + " on " + rest.address()));
        }
        List<JobSummary> active =
                jobs.stream().filter(job -> job.name().equals(name) && job.active()).toList();
        if (active.isEmpty()) {
            throw new IllegalStateException(
                    "no running job named \"" + name + "\" on " + rest.address());
        }
        if (active.size() > 1) {
            throw new IllegalStateException(
                    active.size()
                            + " running jobs named \""
                            + name
                            + "\" on "
                            + rest.address()
                            + ": give --job-id, one of "
                            + active.stream().map(JobSummary::id).toList());
        }
        return active.get(0);
    }

    /**
     * Stops the job with a savepoint in {@code directory} and waits for it.
     *
     * @return the savepoint's location, to start the next job from
     * @throws IllegalStateException if the savepoint fails or does not complete in time
     */
    public String stopWithSavepoint(String jobId, String directory, boolean drain)
            throws Exception {
        String trigger = rest.stopWithSavepoint(jobId, directory, drain);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            SavepointStatus status = rest.savepointStatus(jobId, trigger);
            if (status.done()) {
                if (status.location() == null) {
                    throw new IllegalStateException(
                            "the savepoint of job " + jobId + " failed: " + status.failure());
                }
                return status.location();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "the savepoint of job "
                                + jobId
                                + " did not complete within "
                                + timeout.toSeconds()
                                + " s");
            }
            Thread.sleep(POLL.toMillis()); // polling interval of a bounded wait
        }
    }
}
