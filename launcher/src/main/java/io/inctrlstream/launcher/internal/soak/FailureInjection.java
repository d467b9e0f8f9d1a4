package io.inctrlstream.launcher.internal.soak;

import io.inctrlstream.job.io.InspectionSources;
import io.inctrlstream.job.io.LineStateStore;
import io.inctrlstream.job.io.RawRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Task failures on demand: a pass-through stage right behind the job's sources that, once {@link
 * #armUnlessArmed() armed}, throws on the next record it sees, so that its task fails and Flink
 * restarts the job from its latest checkpoint. The flag is static because the local MiniCluster
 * runs the tasks in this JVM.
 */
final class FailureInjection {
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final AtomicInteger INJECTED = new AtomicInteger();
    private static final AtomicInteger HIGHEST_ATTEMPT = new AtomicInteger();

    private FailureInjection() {}

    /** {@code sources} with the fail-on-demand stage behind them. */
    static InspectionSources behind(InspectionSources sources) {
        return new InspectionSources() {
            @Override
            public List<DataStream<RawRecord>> inputs(StreamExecutionEnvironment env) {
                return sources.inputs(env).stream().map(FailureInjection::failingOnDemand).toList();
            }

            @Override
            public LineStateStore lineStates() {
                return sources.lineStates();
            }
        };
    }

    private static DataStream<RawRecord> failingOnDemand(DataStream<RawRecord> raw) {
        return raw.map(new Stage())
                .returns(raw.getType())
                .setParallelism(raw.getParallelism())
                .name("soak: fail on demand")
                .uid("inctrl-soak-fail-on-demand-" + raw.getId());
    }

    /**
     * Makes the next record fail its task, unless an earlier arming has not failed one yet.
     *
     * @return whether this call armed it
     */
    static boolean armUnlessArmed() {
        return ARMED.compareAndSet(false, true);
    }

    /** Disarms and forgets earlier failures (a new soak in this JVM). */
    static void reset() {
        ARMED.set(false);
        INJECTED.set(0);
        HIGHEST_ATTEMPT.set(0);
    }

    /**
     * The job's restarts so far, as this JVM saw them: the highest execution attempt number of the
     * stage's tasks (each restart of the job starts them again with the next number). Exact and
     * immediate, unlike the REST API's {@code numRestarts}, which is fetched periodically.
     */
    static int restarts() {
        return HIGHEST_ATTEMPT.get();
    }

    /** Failures injected since the last reset. */
    static int injected() {
        return INJECTED.get();
    }

    /** The stage: passes records through, except the first one after arming. */
    static final class Stage extends RichMapFunction<RawRecord, RawRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void open(OpenContext context) {
            HIGHEST_ATTEMPT.accumulateAndGet(
                    getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
        }

        @Override
        public RawRecord map(RawRecord record) {
            if (ARMED.compareAndSet(true, false)) {
                INJECTED.incrementAndGet();
                throw new InjectedFailure("soak: injected task failure at " + record);
            }
            return record;
        }
    }

    /** The exception of an injected failure. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
