package io.inctrlstream.job.inference;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys line inputs by their production line id. */
public final class LineIdKeySelector implements KeySelector<LineInput, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(LineInput input) {
        return input.lineId();
    }
}
