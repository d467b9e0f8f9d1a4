package io.inctrlstream.job.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.TinyBundle;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.InctrlEngine;
import io.inctrlstream.model.ModelBundle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The subtasks of a TaskManager share one engine per bundle and settings; it closes with its last
 * user, and a retired (broken) one is never handed out again.
 */
class SharedEnginesTest {
    private static final EngineConfig ONE_THREAD = EngineConfig.builder().intraOpThreads(1).build();

    private final List<InctrlEngine> opened = new ArrayList<>();
    private final SharedEngines engines =
            new SharedEngines(
                    (bundle, config) -> {
                        InctrlEngine engine = InctrlEngine.open(ModelBundle.load(bundle), config);
                        opened.add(engine);
                        return engine;
                    });

    @Test
    void subtasksOfOneBundleAndSettingsShareOneEngineClosedWithItsLastUser() throws Exception {
        SharedEngines.Lease first = engines.acquire(TinyBundle.DIRECTORY, ONE_THREAD);
        SharedEngines.Lease second =
                engines.acquire(
                        TinyBundle.DIRECTORY.resolve("..").resolve(bundleName()), ONE_THREAD);

        assertThat(second.engine()).as("the same folder, however named").isSameAs(first.engine());
        assertThat(opened).hasSize(1);
        first.close();
        first.close(); // idempotent: the other user keeps it open
        assertThat(engines.openEngines()).isEqualTo(1);
        assertThat(second.engine().modelId()).isEqualTo("inctrl-tiny@1");
        second.close();
        assertThat(engines.openEngines()).isZero();
        assertThatThrownBy(() -> opened.get(0).prototypes("capsule"))
                .as("closed with its last user")
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("engine for inctrl-tiny@1 is closed");
        assertThatThrownBy(first::engine)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the lease on the shared engine is closed");

        try (SharedEngines.Lease again = engines.acquire(TinyBundle.DIRECTORY, ONE_THREAD)) {
            assertThat(opened).as("a new engine after the last one closed").hasSize(2);
        }
    }

    @Test
    void otherSettingsGetAnEngineOfTheirOwn() throws Exception {
        try (SharedEngines.Lease one = engines.acquire(TinyBundle.DIRECTORY, ONE_THREAD);
                SharedEngines.Lease two =
                        engines.acquire(
                                TinyBundle.DIRECTORY,
                                EngineConfig.builder().intraOpThreads(2).build())) {
            assertThat(two.engine()).isNotSameAs(one.engine());
            assertThat(engines.openEngines()).isEqualTo(2);
        }
    }

    /**
     * Two slots of a TaskManager asking for the same CUDA device (each with its own, equal,
     * settings) share one engine, and so one set of sessions and one GPU memory budget; another
     * device or another memory limit gets an engine of its own. On a machine without CUDA the
     * engines fall back to the CPU (allowed), which does not change how they are shared.
     */
    @Test
    void slotsAskingForTheSameCudaDeviceShareOneEngineOtherDevicesAndLimitsDoNot()
            throws Exception {
        try (SharedEngines.Lease slot1 = engines.acquire(TinyBundle.DIRECTORY, cuda(0, 2L << 30));
                SharedEngines.Lease slot2 =
                        engines.acquire(TinyBundle.DIRECTORY, cuda(0, 2L << 30))) {
            assertThat(slot2.engine()).isSameAs(slot1.engine());
            assertThat(slot2.preparation()).isSameAs(slot1.preparation());
            assertThat(opened).hasSize(1);
            assertThat(engines.openEngines()).isEqualTo(1);

            try (SharedEngines.Lease otherDevice =
                            engines.acquire(TinyBundle.DIRECTORY, cuda(1, 2L << 30));
                    SharedEngines.Lease otherLimit =
                            engines.acquire(TinyBundle.DIRECTORY, cuda(0, 4L << 30));
                    SharedEngines.Lease noLimit =
                            engines.acquire(TinyBundle.DIRECTORY, cuda(0, 0))) {
                assertThat(List.of(otherDevice.engine(), otherLimit.engine(), noLimit.engine()))
                        .doesNotContain(slot1.engine())
                        .doesNotHaveDuplicates();
                assertThat(opened).hasSize(4);
                assertThat(engines.openEngines()).isEqualTo(4);
            }
            assertThat(engines.openEngines()).as("the shared one stays open").isEqualTo(1);
        }
        assertThat(engines.openEngines()).isZero();
    }

    @Test
    void aRetiredEngineIsNotHandedOutAgainAndClosesWithItsLastUser() throws Exception {
        SharedEngines.Lease broken = engines.acquire(TinyBundle.DIRECTORY, ONE_THREAD);
        SharedEngines.Lease other = engines.acquire(TinyBundle.DIRECTORY, ONE_THREAD);
        broken.retire();
        broken.close();

        try (SharedEngines.Lease fresh = engines.acquire(TinyBundle.DIRECTORY, ONE_THREAD)) {
            assertThat(fresh.engine()).isNotSameAs(other.engine());
            assertThat(engines.openEngines()).as("the retired one still has a user").isEqualTo(2);
            assertThat(other.engine().modelId()).isEqualTo("inctrl-tiny@1");
            other.close();
            assertThat(engines.openEngines()).isEqualTo(1);
        }
        assertThat(engines.openEngines()).isZero();
    }

    private static EngineConfig cuda(int deviceId, long memoryLimitBytes) {
        return EngineConfig.builder()
                .device(Device.CUDA)
                .cudaDeviceId(deviceId)
                .cudaMemoryLimitBytes(memoryLimitBytes)
                .allowCpuFallback(true)
                .intraOpThreads(1)
                .build();
    }

    private static Path bundleName() {
        return TinyBundle.DIRECTORY.getFileName();
    }
}
