package io.inctrlstream.job.engine.internal;

import io.inctrlstream.model.EngineConfig;
import io.inctrlstream.model.InctrlEngine;
import io.inctrlstream.model.ModelBundle;
import io.inctrlstream.model.ModelException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link InctrlEngine} per model bundle and engine settings in this JVM (one per job on a
 * TaskManager: the job's classes, this registry included, are loaded per job), shared by the
 * operator subtasks that run it and closed when the last one releases it. So a TaskManager with N
 * slots holds the model's weights and ONNX Runtime sessions once, not N times (600 MB of weights at
 * official size), and one intra-op thread pool serves every slot instead of N pools of all the
 * cores each; ONNX Runtime runs concurrent calls on one session. With the engine comes the pool
 * that decodes and preprocesses frames for it ({@link Lease#preparation()}): one daemon thread per
 * core, shared by the slots, so that a slot's batch is decoded on every core and no slot decodes on
 * its task thread.
 *
 * <p>A subtask that finds the engine broken ({@link Lease#retire()}: its session failed) retires
 * it: the next acquisition opens a new engine, and the retired one is closed when its last user
 * releases it, so a restarted task never gets the broken session back.
 */
public final class SharedEngines {
    /** Opens an engine; the real one loads the bundle. */
    @FunctionalInterface
    public interface Opener {
        InctrlEngine open(Path bundle, EngineConfig config) throws ModelException;
    }

    private static final SharedEngines INSTANCE =
            new SharedEngines(
                    (bundle, config) -> InctrlEngine.open(ModelBundle.load(bundle), config));

    private final Opener opener;
    private final Map<Key, Shared> current = new HashMap<>();

    /** Engines being opened, by key; guarded by this registry's lock. */
    private final Map<Key, Opening> opening = new HashMap<>();

    private final Set<Shared> open = Collections.newSetFromMap(new IdentityHashMap<>());

    public SharedEngines(Opener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** The registry of this JVM (of this job's class loader). */
    public static SharedEngines instance() {
        return INSTANCE;
    }

    /**
     * A lease on the engine of {@code bundle} with {@code config}, opening it if no open, unretired
     * one is shared. Subtasks asking for the same key while it opens wait for that one opening, so
     * the model is opened once; the opening runs outside the registry's lock, so that other keys,
     * releases and retirements (a failing-over subtask closing its lease) do not wait for it.
     *
     * @throws ModelException if the engine must be opened and that fails (every subtask waiting for
     *     that opening gets the failure; a later acquisition tries again)
     */
    public Lease acquire(Path bundle, EngineConfig config) throws ModelException {
        Key key = new Key(bundle.toAbsolutePath().normalize(), config);
        Opening pending;
        boolean opensIt = false;
        synchronized (this) {
            Shared shared = current.get(key);
            if (shared != null) {
                shared.users++;
                return new Lease(shared);
            }
            pending = opening.get(key);
            if (pending == null) {
                pending = new Opening();
                opening.put(key, pending);
                opensIt = true;
            }
            pending.waiters++;
        }
        if (opensIt) {
            open(key, pending);
        }
        try {
            return new Lease(pending.result.join());
        } catch (CompletionException e) {
            // The opening's own failure, thrown in each waiting subtask (a ModelException
            // re-created so that each has its own stack trace, the original as its cause).
            Throwable cause = e.getCause();
            if (cause instanceof ModelException failure) {
                throw new ModelException(failure.reason(), failure.getMessage(), failure);
            }
            if (cause instanceof RuntimeException failure) {
                throw failure;
            }
            if (cause instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Opens the engine of {@code key} and hands it to the opening's waiters. */
    private void open(Key key, Opening pending) {
        InctrlEngine engine;
        try {
            engine = opener.open(key.bundle(), key.config());
        } catch (ModelException | RuntimeException | Error e) {
            synchronized (this) {
                opening.remove(key, pending);
            }
            pending.result.completeExceptionally(e);
            return;
        }
        Shared shared;
        synchronized (this) {
            opening.remove(key, pending);
            shared = new Shared(key, engine);
            shared.users = pending.waiters;
            current.put(key, shared);
            open.add(shared);
        }
        pending.result.complete(shared);
    }

    /** How many engines are open: shared ones, and retired ones that still have users. */
    public synchronized int openEngines() {
        return open.size();
    }

    private synchronized void release(Shared shared) {
        shared.users--;
        if (shared.users == 0) {
            current.remove(shared.key, shared);
            open.remove(shared);
            shared.preparation.shutdown();
            shared.engine.close();
        }
    }

    private synchronized void retire(Shared shared) {
        current.remove(shared.key, shared);
    }

    /** One subtask's use of a shared engine. */
    public final class Lease implements AutoCloseable {
        private final Shared shared;
        private boolean released;

        private Lease(Shared shared) {
            this.shared = shared;
        }

        /** The engine, open while this lease is. */
        public InctrlEngine engine() {
            if (released) {
                throw new IllegalStateException("the lease on the shared engine is closed");
            }
            return shared.engine;
        }

        /** The pool that decodes and preprocesses frames for this engine (one thread per core). */
        public Executor preparation() {
            if (released) {
                throw new IllegalStateException("the lease on the shared engine is closed");
            }
            return shared.preparation;
        }

        /**
         * Marks the engine broken: no later {@link #acquire} gets it; it still closes only when its
         * last lease does.
         */
        public void retire() {
            SharedEngines.this.retire(shared);
        }

        /** Releases the engine, closing it if this was its last user; idempotent. */
        @Override
        public void close() {
            if (!released) {
                released = true;
                release(shared);
            }
        }
    }

    private record Key(Path bundle, EngineConfig config) {}

    /** An engine being opened and how many acquisitions wait for it (guarded by the lock). */
    private static final class Opening {
        final CompletableFuture<Shared> result = new CompletableFuture<>();
        int waiters;
    }

    /** An engine with its preparation pool and its users (guarded by the registry's lock). */
    private static final class Shared {
        final Key key;
        final InctrlEngine engine;
        final ExecutorService preparation;
        int users;

        Shared(Key key, InctrlEngine engine) {
            this.key = key;
            this.engine = engine;
            AtomicInteger threads = new AtomicInteger();
            this.preparation =
                    Executors.newFixedThreadPool(
                            Runtime.getRuntime().availableProcessors(),
                            task -> {
                                Thread thread =
                                        new Thread(
                                                task, "inctrl-decode-" + threads.incrementAndGet());
                                thread.setDaemon(true);
                                return thread;
                            });
        }
    }
}
