package io.inctrlstream.job.inference;

import io.inctrlstream.job.io.OutboundRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Wires the line inference operator into a job: keys the inputs by line and scores them. Keep the
 * uid stable across job versions: the lines' shots and the inputs in flight live in its state.
 */
public final class LineInference {
    /** The operator's uid (state identity) and name. */
    public static final String UID = "inctrl-line-inference";

    /**
     * Side output of the operator: after every applied command, the line's whole state as an
     * encoded {@code LineState} record keyed by line, for the compacted line-state topic.
     */
    public static final OutputTag<OutboundRecord> LINE_STATES =
            new OutputTag<>("line-states", TypeInformation.of(OutboundRecord.class));

    private LineInference() {}

    /** The type information of the operator's input. */
    public static TypeInformation<LineInput> inputType() {
        return TypeInformation.of(LineInput.class);
    }

    /** The type information of the operator's output. */
    public static TypeInformation<LineOutput> outputType() {
        return TypeInformation.of(LineOutput.class);
    }

    /**
     * Keys {@code inputs} by line and scores them: per line, outputs follow the input order; the
     * lines' states after their commands go to the side output {@link #LINE_STATES}.
     */
    public static SingleOutputStreamOperator<LineOutput> score(
            DataStream<LineInput> inputs,
            InferenceOperatorConfig config,
            InferenceBackendFactory backendFactory,
            LineStateConfig lineStates) {
        return inputs.keyBy(new LineIdKeySelector(), Types.STRING)
                .transform(
                        UID,
                        outputType(),
                        new LineInferenceOperatorFactory(config, backendFactory, lineStates))
                .uid(UID);
    }
}
