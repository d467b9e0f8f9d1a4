package io.inctrlstream.launcher.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * How {@link Evaluation} runs the protocol: the shot counts K, the runs per K, the seed the shots
 * are drawn from, whether the patch-kNN baseline runs, and the target false-alarm rate of the
 * suggested thresholds (none: just above the shots' leave-one-out scores). Immutable; build with
 * {@link #builder()}.
 */
public final class EvaluationSettings {
    private final List<Integer> shots;
    private final int runs;
    private final long seed;
    private final boolean patchKnn;
    private final OptionalDouble falseAlarmTarget;

    private EvaluationSettings(Builder builder) {
        this.shots = List.copyOf(new TreeSet<>(builder.shots));
        this.runs = builder.runs;
        this.seed = builder.seed;
        this.patchKnn = builder.patchKnn;
        this.falseAlarmTarget = builder.falseAlarmTarget;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shot counts K, ascending, without repeats. */
    public List<Integer> shots() {
        return shots;
    }

    /** The runs per category and K. */
    public int runs() {
        return runs;
    }

    public long seed() {
        return seed;
    }

    /** Whether the patch-kNN baseline runs beside the model. */
    public boolean patchKnn() {
        return patchKnn;
    }

    /** The target false-alarm rate of the suggested thresholds, if any. */
    public OptionalDouble falseAlarmTarget() {
        return falseAlarmTarget;
    }

    /** The methods evaluated, in table order. */
    public List<EvalMethod> methods() {
        List<EvalMethod> methods = new ArrayList<>(List.of(EvalMethod.values()));
        if (!patchKnn) {
            methods.remove(EvalMethod.PATCH_KNN);
        }
        return List.copyOf(methods);
    }

    /** Builds {@link EvaluationSettings}; validated in {@link #build()}. */
    public static final class Builder {
        private List<Integer> shots = List.of(1, 2, 4);
        private int runs = 5;
        private long seed = 1;
        private boolean patchKnn = true;
        private OptionalDouble falseAlarmTarget = OptionalDouble.empty();

        private Builder() {}

        /** The shot counts K (default 1, 2, 4). */
        public Builder shots(List<Integer> shots) {
            this.shots = List.copyOf(shots);
            return this;
        }

        /** Runs per category and K (default 5). */
        public Builder runs(int runs) {
            this.runs = runs;
            return this;
        }

        /** The seed the shots are drawn from (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether the patch-kNN baseline runs (default true). */
        public Builder patchKnn(boolean patchKnn) {
            this.patchKnn = patchKnn;
            return this;
        }

        /** The target false-alarm rate of the suggested thresholds, in [0, 1). */
        public Builder falseAlarmTarget(double falseAlarmTarget) {
            this.falseAlarmTarget = OptionalDouble.of(falseAlarmTarget);
            return this;
        }

        /**
         * @throws IllegalArgumentException if there are no shot counts, one is below 1 or above
         *     1024, runs is not in 1..1000, or the false-alarm target is not in [0, 1)
         */
        public EvaluationSettings build() {
            if (shots.isEmpty()) {
                throw new IllegalArgumentException("expected at least one shot count, found none");
            }
            for (int k : shots) {
                if (k < 1 || k > 1024) {
                    throw new IllegalArgumentException(
                            "shot counts must be in 1..1024, found " + k);
                }
            }
            if (runs < 1 || runs > 1000) {
                throw new IllegalArgumentException("runs must be in 1..1000, found " + runs);
            }
            if (falseAlarmTarget.isPresent()) {
                double far = falseAlarmTarget.getAsDouble();
                if (!(far >= 0 && far < 1)) {
                    throw new IllegalArgumentException(
                            "the target false-alarm rate must be in [0, 1), found " + far);
                }
            }
            return new EvaluationSettings(this);
        }
    }
}
