package io.inctrlstream.job.inference;

import io.inctrlstream.job.inference.internal.LineInferenceOperator;
import java.util.Objects;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/**
 * Creates the line inference operator (keyed by line id) with its configuration and backend
 * factory. The factory, not the operator, is what a job graph carries: the operator needs the
 * task's mailbox, which only exists at run time. Use {@link LineInference#score} to wire it.
 */
public final class LineInferenceOperatorFactory extends AbstractStreamOperatorFactory<LineOutput>
        implements OneInputStreamOperatorFactory<LineInput, LineOutput> {
    private static final long serialVersionUID = 1L;

    private final InferenceOperatorConfig config;
    private final InferenceBackendFactory backendFactory;
    private final LineStateConfig lineStateConfig;

    public LineInferenceOperatorFactory(
            InferenceOperatorConfig config,
            InferenceBackendFactory backendFactory,
            LineStateConfig lineStateConfig) {
        this.config = Objects.requireNonNull(config, "config");
        this.backendFactory = Objects.requireNonNull(backendFactory, "backendFactory");
        this.lineStateConfig = Objects.requireNonNull(lineStateConfig, "lineStateConfig");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<LineOutput>> T createStreamOperator(
            StreamOperatorParameters<LineOutput> parameters) {
        return (T) new LineInferenceOperator(parameters, config, backendFactory, lineStateConfig);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return LineInferenceOperator.class;
    }
}
