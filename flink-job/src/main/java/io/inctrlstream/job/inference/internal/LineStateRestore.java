package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.io.LineStateStore;
import io.inctrlstream.schema.codec.SchemaDecodeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the lines of one subtask from the line-state store, for an operator started without a
 * checkpoint or savepoint: reads every record, keeps those whose line falls into the subtask's key
 * groups, and hands each line's newest state to a {@link Target}. A record of another model is
 * restored only with the shot images its bank was built from (the operator then rebuilds the bank
 * for this model). A record that does not decode, contradicts itself, names another line than its
 * key, or holds the bank of another model without its shot images is skipped with a warning, and
 * the line is left without state (a later valid record of the line still restores it); a tombstone
 * clears the line.
 */
final class LineStateRestore {
    private static final Logger LOG = LoggerFactory.getLogger(LineStateRestore.class);

    /** Where restored lines go: the operator's keyed state. */
    interface Target {
        void restore(LineStateRecords.Line line) throws IOException;

        void clear(String lineId) throws IOException;
    }

    /**
     * How the restore went.
     *
     * @param recordsRead records of the subtask's lines read (several per line before compaction)
     * @param linesRestored lines restored
     * @param recordsSkipped records skipped (another model, undecodable, inconsistent)
     */
    record Summary(long recordsRead, int linesRestored, long recordsSkipped) {}

    private LineStateRestore() {}

    static Summary run(
            LineStateStore store,
            KeyGroupRange keyGroups,
            int maxParallelism,
            String modelId,
            LineStateRecords records,
            Target target)
            throws IOException {
        Set<String> restored = new HashSet<>();
        long[] read = new long[1];
        long[] skipped = new long[1];
        store.readAll(
                (key, value) -> {
                    if (key == null) {
                        return; // not a line's record
                    }
                    String lineId = new String(key, StandardCharsets.UTF_8);
                    if (!keyGroups.contains(
                            KeyGroupRangeAssignment.assignToKeyGroup(lineId, maxParallelism))) {
                        return;
                    }
                    read[0]++;
                    if (value == null || value.length == 0) {
                        target.clear(lineId);
                        restored.remove(lineId);
                        return;
                    }
                    String problem;
                    try {
                        LineStateRecords.Line line = records.decode(value);
                        if (!line.lineId().equals(lineId)) {
                            problem = "it holds the state of line " + line.lineId();
                        } else if (!line.modelId().equals(modelId)
                                && (line.shots() == null || !line.settings().hasBank())) {
                            problem =
                                    "its bank is of model "
                                            + line.modelId()
                                            + ", this job runs "
                                            + modelId
                                            + ", and it holds no shot images to rebuild it from";
                        } else {
                            target.restore(line);
                            restored.add(lineId);
                            return;
                        }
                    } catch (SchemaDecodeException | IllegalArgumentException e) {
                        problem = "it is not a valid line state: " + e.getMessage();
                    }
                    LOG.warn(
                            "Not restoring line {} from the line-state record of {} bytes: {}; the"
                                    + " line starts without shots or settings unless a later record"
                                    + " restores it",
                            lineId,
                            value.length,
                            problem);
                    skipped[0]++;
                    target.clear(lineId);
                    restored.remove(lineId);
                });
        return new Summary(read[0], restored.size(), skipped[0]);
    }
}
