package io.inctrlstream.job.internal;

import io.inctrlstream.job.inference.LineOutput;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys the inference operator's outputs by their production line id. */
public final class LineOutputKeySelector implements KeySelector<LineOutput, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(LineOutput output) {
        return output.lineId();
    }
}
