package io.inctrlstream.job.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inctrlstream.job.TinyBundle;
import io.inctrlstream.model.Device;
import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.InctrlEngine;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * An opener that, for {@link #GATED} settings, says it started and then waits for its gate (or
     * fails after it); other settings open at once.
     */
    private static final class GatedOpener implements SharedEngines.Opener {
        static final EngineConfig GATED = EngineConfig.builder().intraOpThreads(2).build();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger gatedOpens = new AtomicInteger();
        volatile ModelException failure;

        @Override
        public InctrlEngine open(Path bundle, EngineConfig config) throws ModelException {
            if (config.equals(GATED)) {
                gatedOpens.incrementAndGet();
                started.countDown();
                try {
                    assertThat(gate.await(30, TimeUnit.SECONDS)).as("gate opened").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (failure != null) {
                    throw failure;
                }
            }
            return InctrlEngine.open(ModelBundle.load(bundle), config);
        }
    }

    /** Waits (without sleeping) until {@code thread} parks, as a waiting acquisition does. */
    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - deadline).as(thread + " parks").isNegative();
            Thread.onSpinWait();
        }
    }

    @Test
    void anOpeningHoldsUpNeitherOtherSettingsNorReleasesAndIsSharedByItsWaiters() throws Exception {
        GatedOpener opener = new GatedOpener();
        SharedEngines registry = new SharedEngines(opener);
        CompletableFuture<SharedEngines.Lease> first = new CompletableFuture<>();
        CompletableFuture<SharedEngines.Lease> second = new CompletableFuture<>();
        Thread opening = acquireIn(registry, GatedOpener.GATED, first);
        assertThat(opener.started.await(30, TimeUnit.SECONDS)).isTrue();

        // While the gated engine opens, other settings are opened, used and released.
        try (SharedEngines.Lease other = registry.acquire(TinyBundle.DIRECTORY, ONE_THREAD)) {
            assertThat(other.engine().modelId()).isEqualTo("inctrl-tiny@1");
        }
        assertThat(registry.openEngines()).isZero();
        // A second subtask asking for the gated settings waits for the same opening.
        Thread waiting = acquireIn(registry, GatedOpener.GATED, second);
        awaitParked(waiting);
        assertThat(first).isNotDone();

        opener.gate.countDown();
        opening.join();
        waiting.join();
        try (SharedEngines.Lease a = first.get();
                SharedEngines.Lease b = second.get()) {
            assertThat(b.engine()).isSameAs(a.engine());
            assertThat(opener.gatedOpens).hasValue(1);
            a.close();
            assertThat(registry.openEngines()).as("both waiters count as users").isEqualTo(1);
            assertThat(b.engine().modelId()).isEqualTo("inctrl-tiny@1");
        }
        assertThat(registry.openEngines()).isZero();
    }

    @Test
    void aFailedOpeningFailsEveryWaiterAndTheNextAcquisitionTriesAgain() throws Exception {
        GatedOpener opener = new GatedOpener();
        opener.failure =
                new ModelException(ModelException.Reason.BUNDLE_CORRUPT, "graph image_encoder: no");
        SharedEngines registry = new SharedEngines(opener);
        CompletableFuture<SharedEngines.Lease> first = new CompletableFuture<>();
        CompletableFuture<SharedEngines.Lease> second = new CompletableFuture<>();
        Thread opening = acquireIn(registry, GatedOpener.GATED, first);
        assertThat(opener.started.await(30, TimeUnit.SECONDS)).isTrue();
        Thread waiting = acquireIn(registry, GatedOpener.GATED, second);
        awaitParked(waiting);

        opener.gate.countDown();
        opening.join();
        waiting.join();
        for (CompletableFuture<SharedEngines.Lease> lease : List.of(first, second)) {
            assertThatThrownBy(lease::get)
                    .cause()
                    .isInstanceOfSatisfying(
                            ModelException.class,
                            e -> {
                                assertThat(e.reason())
                                        .isEqualTo(ModelException.Reason.BUNDLE_CORRUPT);
                                assertThat(e).hasCause(opener.failure);
                            })
                    .hasMessage("graph image_encoder: no");
        }
        assertThat(opener.gatedOpens).hasValue(1);
        assertThat(registry.openEngines()).isZero();

        opener.failure = null;
        try (SharedEngines.Lease retried =
                registry.acquire(TinyBundle.DIRECTORY, GatedOpener.GATED)) {
            assertThat(opener.gatedOpens).as("tried again").hasValue(2);
            assertThat(retried.engine().modelId()).isEqualTo("inctrl-tiny@1");
        }
    }

    /** Starts a thread that acquires {@code config}'s engine into {@code lease}. */
    private static Thread acquireIn(
            SharedEngines registry,
            EngineConfig config,
            CompletableFuture<SharedEngines.Lease> lease) {
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                lease.complete(registry.acquire(TinyBundle.DIRECTORY, config));
                            } catch (Throwable e) {
                                lease.completeExceptionally(e);
                            }
                        },
                        "acquire-" + config.intraOpThreads());
        thread.start();
        return thread;
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
