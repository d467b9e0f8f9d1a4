package io.inctrlstream.launcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The job's health as read from the answers of Flink's REST API. */
class JobHealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void readsRestartsCheckpointCountsAndTheLatestFailures() throws Exception {
        JobHealth health =
                JobHealth.fromRest(
                        json("{'jid':'x','state':'RUNNING'}"),
                        json(
                                "{'counts':{'restored':1,'total':6,'in_progress':0,'completed':4,"
                                        + "'failed':2},'latest':{'completed':{'state_size':"
                                        + "12500000},'failed':{'failure_message':"
                                        + "'Checkpoint expired before completing.\\nmore'}}}"),
                        json("[{'id':'numRestarts','value':'2'}]"),
                        json(
                                "{'exceptionHistory':{'entries':[{'exceptionName':"
                                        + "'java.io.IOException','stacktrace':"
                                        + "'java.io.IOException: disk full\\n\\tat x.y(Z.java)'}]}}"));

        assertThat(health)
                .isEqualTo(
                        new JobHealth(
                                "RUNNING",
                                2,
                                4,
                                2,
                                1,
                                12_500_000,
                                "Checkpoint expired before completing.",
                                "java.io.IOException: disk full"));
        assertThat(health.restartsWithoutRestore()).isEqualTo(1);
        assertThat(health.summaryLine())
                .isEqualTo(
                        "job RUNNING: 2 restarts, checkpoints 4 completed (latest 12.5 MB), 2"
                                + " failed (latest failure: Checkpoint expired before"
                                + " completing.)");
    }

    @Test
    void aFreshJobHasNothingToReport() throws Exception {
        JobHealth health =
                JobHealth.fromRest(
                        json("{'state':'CREATED'}"),
                        json("{'counts':{'restored':0,'completed':0,'failed':0},'latest':{}}"),
                        json("[]"),
                        json("{'exceptionHistory':{'entries':[]}}"));

        assertThat(health).isEqualTo(new JobHealth("CREATED", 0, 0, 0, 0, 0, "", ""));
        assertThat(health.summaryLine())
                .isEqualTo(
                        "job CREATED: 0 restarts, checkpoints 0 completed (latest 0.0 MB), 0"
                                + " failed");
    }
}
