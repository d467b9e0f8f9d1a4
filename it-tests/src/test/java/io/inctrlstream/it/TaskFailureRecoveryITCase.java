package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.job.DeliveryMode;
import io.inctrlstream.job.io.InspectionTopics;
import io.inctrlstream.kafka.EmbeddedKafkaBroker;
import io.inctrlstream.kafka.SharedKafka;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A task failure injected mid-stream ({@link FailOnDemand}, right behind the Kafka source), in both
 * delivery modes: the job restores its checkpoint and loses, duplicates (exactly-once) or forgets
 * nothing; see {@link RecoveryScenario}.
 */
@ExtendWith(SharedKafka.class)
@Timeout(180)
class TaskFailureRecoveryITCase {
    /** The job's metrics, those of failed attempts included. */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(JobUnderTest.PARALLELISM)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    @BeforeEach
    void disarm() {
        FailOnDemand.reset();
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void recoversFromAnInjectedTaskFailure(
            DeliveryMode mode, EmbeddedKafkaBroker broker, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        InspectionTopics topics =
                TestTopics.create(broker, "task-failure-" + mode.name().toLowerCase());
        JobUnderTest.Builder job =
                JobUnderTest.builder(broker, topics)
                        .deliveryMode(mode)
                        .checkpointsOnDemand()
                        .failOnDemand();
        // Armed, the next input record read (phase 2b's first frame) fails its task.
        RecoveryScenario.run(broker, topics, job, cluster, METRICS, mode, FailOnDemand::arm);
        assertThat(FailOnDemand.failures()).isEqualTo(1);
    }
}
