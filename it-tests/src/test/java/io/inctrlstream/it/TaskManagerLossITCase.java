package io.inctrlstream.it;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.StateBackendKind;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager lost mid-stream (exactly-once, RocksDB state): the job restores its checkpoint on
 * the remaining and a replacement TaskManager and loses, duplicates or forgets nothing; see {@link
 * RecoveryScenario}.
 */
@ExtendWith(SharedKafka.class)
@Timeout(180)
class TaskManagerLossITCase {
    /** Two TaskManagers of one slot each, so that each runs tasks of the job. */
    /** The job's metrics, those of failed attempts included. */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(1)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    @Test
    void recoversFromTheLossOfATaskManager(
            EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster) throws Exception {
        InspectionTopics topics = TestTopics.create(broker, "tm-loss");
        JobUnderTest.Builder job =
                JobUnderTest.builder(broker, topics)
                        .deliveryMode(DeliveryMode.EXACTLY_ONCE)
                        .stateBackend(StateBackendKind.ROCKSDB)
                        .checkpointsOnDemand();
        RecoveryScenario.run(
                broker,
                topics,
                job,
                cluster,
                METRICS,
                DeliveryMode.EXACTLY_ONCE,
                () -> {
                    // One of the two TaskManagers goes away with its tasks; a replacement joins.
                    cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
                    cluster.startTaskManager();
                });
    }
}
